import { authorize } from "./authorize";
import type { Principal } from "./principal";
import type { Operation } from "./roles";
import type { Scope } from "./scope";
import { denied } from "../core/errors";

/**
 * Who asks a service to change something: a signed-in principal (portal), or the
 * local operator running the `wharf` CLI on the server's own data dir, who holds
 * the keys to the database anyway.
 */
export type Actor = Principal | { kind: "system"; name: string };

export const LOCAL_OPERATOR: Actor = { kind: "system", name: "local-operator" };

export function actorName(actor: Actor): string {
  return actor.kind === "anonymous" ? "anonymous" : actor.name;
}

/** Authorisation first: throws DENIED with a reason that says what is missing. */
export async function requireActor(actor: Actor, operation: Operation, scope: Scope): Promise<void> {
  if (actor.kind === "system") return;
  const d = await authorize(actor, operation, scope);
  if (!d.allowed) throw denied(d.reason);
}
