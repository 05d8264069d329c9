/**
 * The data plane's one door to access decisions (kept apart from lib/auth/authorize.ts,
 * which main grew meanwhile: wire these functions to it when merging). The token endpoint
 * asks it what to grant; /v2 trusts the grants in the signed token and asks it
 * only for decisions a token cannot carry (e.g. a mount from "any repository").
 *
 * Today: every signed-in portal user may do everything on every registry;
 * anonymous callers may do nothing. Role assignments, scope-map tokens,
 * anonymous pull and network rules will replace the body of these functions.
 */
export type Principal = { kind: "user"; username: string } | { kind: "anonymous" };

export type AccessRequest = { type: string; name: string; actions: string[] };

export const REPOSITORY_ACTIONS = ["pull", "push", "delete", "*"] as const;

/** Subjects in our tokens are `user:<username>`; anything else is nobody. */
export function principalFromSubject(sub: string): Principal {
  return sub.startsWith("user:") ? { kind: "user", username: sub.slice(5) } : { kind: "anonymous" };
}

export function subjectOf(p: Principal): string {
  return p.kind === "user" ? `user:${p.username}` : "anonymous";
}

/** The actions of `request` that `principal` may perform: asked ∩ allowed, never an error. */
export async function allowedActions(principal: Principal, request: AccessRequest): Promise<string[]> {
  if (principal.kind === "anonymous") return [];
  if (request.type === "repository") return request.actions.filter((a) => (REPOSITORY_ACTIONS as readonly string[]).includes(a));
  if (request.type === "registry" && request.name === "catalog") return request.actions.filter((a) => a === "*");
  return [];
}

/** May the principal read some repository of this registry (mount without `from`, catalog)? */
export async function canReadRegistry(principal: Principal, _registry: string): Promise<boolean> {
  return principal.kind === "user";
}
