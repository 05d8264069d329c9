import { AsyncLocalStorage } from "node:async_hooks";
import { context, slot } from "./context";

/**
 * Where the request being served came from, for the activity log of changes made deep inside services: the portal
 * runs each server action inside `withOrigin`, and the event path reads it, so no service has to pass it along.
 * Per request, never shared between requests.
 */
export type Origin = { address: string | null };

const storage = slot("requestOrigin", () => new AsyncLocalStorage<Origin>());

export function withOrigin<T>(origin: Origin, fn: () => Promise<T>): Promise<T> {
  return context().get(storage).run(origin, fn);
}

export function currentOrigin(): Origin | null {
  return context().get(storage).getStore() ?? null;
}
