import type { z } from "zod";
import { WharfError } from "@/lib/errors";
import type { Principal } from "@/lib/auth/principal";
import { currentUser } from "./session";

export type ActionError = { code: "INVALID" | "NOT_FOUND" | "CONFLICT" | "DENIED" | "UNAUTHENTICATED" | "INTERNAL"; message: string; field?: string };
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * The one shape of every server action: the signed-in user (as a Principal),
 * then the zod schema, then the action's own code, which calls lib/ (where the
 * role check at the right scope happens). Domain errors become
 * `{ code, message, field }`; anything unexpected is logged and shown generically.
 */
export function authedAction<S extends z.ZodType, T>(
  schema: S,
  fn: (input: z.infer<S>, ctx: { principal: Principal & { kind: "user" } }) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const user = await currentUser();
    if (!user) return { ok: false, error: { code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." } };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? String(issue.path[0]) : undefined;
      return { ok: false, error: { code: "INVALID", message: issue?.message ?? "Check the form and try again.", ...(field ? { field } : {}) } };
    }
    try {
      const data = await fn(parsed.data, { principal: { kind: "user", id: user.id, name: user.username } });
      return { ok: true, data };
    } catch (err) {
      return { ok: false, error: toActionError(err) };
    }
  };
}

export function toActionError(err: unknown): ActionError {
  if (err instanceof WharfError) return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  console.error("server action failed:", err);
  return { code: "INTERNAL", message: "Something went wrong on the server. Try again; if it keeps failing, check the server log." };
}
