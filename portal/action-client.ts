import { z } from "zod";
import { withOrigin } from "@wharf/lib/core/origin";
import { portalClientAddress } from "./client-address";
import type { Principal } from "@wharf/lib/auth/principal";
import { ERRORS, WharfError } from "@wharf/lib/core/errors";
import { WizardInvalid } from "@wharf/lib/services/registry-fields";
import type { WizardProblem } from "@wharf/lib/core/registry-rules";
import { currentUser } from "./session";

/**
 * The one shape every portal server action returns. Field errors are keyed by the
 * zod path joined with dots ("tags.2.name"), the same keys lib/ uses in `field`.
 */
export type ActionError = {
  ok: false;
  code: "INVALID" | "NOT_FOUND" | "CONFLICT" | "DENIED" | "UNAUTHENTICATED" | "INTERNAL";
  message: string;
  field?: string;
  fieldErrors?: Record<string, string>;
  problems?: WizardProblem[];
};
export type ActionResult<T> = { ok: true; data: T } | ActionError;

/** Maps anything a lib/ call throws to an ActionError; unexpected errors are logged, never shown. */
export function toActionError(err: unknown, context: string): ActionError {
  if (err instanceof WizardInvalid) {
    const fieldErrors: Record<string, string> = {};
    for (const p of err.problems) fieldErrors[p.field] ??= p.message;
    return { ok: false, code: "INVALID", message: err.message, field: err.field, fieldErrors, problems: err.problems };
  }
  if (err instanceof WharfError) {
    return { ok: false, code: ERRORS[err.code].result, message: err.message, field: err.field, fieldErrors: err.field ? { [err.field]: err.message } : undefined };
  }
  console.error(`[action ${context}]`, err);
  return { ok: false, code: "INTERNAL", message: "Something went wrong on the server. Try again; the Wharf server log has the details." };
}

/**
 * Checks the caller's role from the raw input before it is validated, so a caller
 * without the role learns nothing about what input would be accepted. It throws
 * DENIED (a WharfError) or returns; input it cannot read is left to validation.
 */
export type Precheck = (principal: Principal, raw: Record<string, unknown>) => Promise<void>;

/**
 * Runs a server action: establishes the signed-in user as a Principal, runs the
 * action's precheck (authorisation first), parses the input with `schema` (field
 * errors, never a 500), then calls `fn`, which asks lib/ (where `authorize` runs)
 * to do the work.
 */
export async function runAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  input: unknown,
  fn: (principal: Principal, data: z.infer<S>) => Promise<T>,
  precheck?: Precheck,
): Promise<ActionResult<T>> {
  const user = await currentUser();
  if (!user) return { ok: false, code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." };
  const principal: Principal = { kind: "user", id: user.id, name: user.username };
  if (precheck) {
    try {
      await precheck(principal, input && typeof input === "object" ? (input as Record<string, unknown>) : {});
    } catch (err) {
      return toActionError(err, name);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".") || "_"] ??= issue.message;
    const first = parsed.error.issues[0];
    return { ok: false, code: "INVALID", message: first?.message ?? "Invalid input.", field: first?.path.join("."), fieldErrors };
  }
  try {
    const origin = { address: await portalClientAddress() };
    return { ok: true, data: await withOrigin(origin, () => fn(principal, parsed.data)) };
  } catch (err) {
    return toActionError(err, name);
  }
}

/**
 * `runAction` as a value: `export const verbNounAction = authedAction("verbNoun", schema, fn)`.
 * Used by the repository, token, scope-map and access actions.
 */
export function authedAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  fn: (input: z.infer<S>, ctx: { principal: Principal }) => Promise<T>,
  precheck?: Precheck,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) => runAction(name, schema, input, (principal, data) => fn(data, { principal }), precheck);
}
