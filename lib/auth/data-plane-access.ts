import { permissionResolver, type DataAction } from "./authorize";
import { principalFromSubject, type Principal } from "./principal";
import { registryPolicy } from "./registry-policy";

/**
 * The data plane's door to lib/auth: /v2 trusts the grants in a verified token
 * and asks here only for what a token cannot carry — which repositories the
 * caller may list in `_catalog`, and `mount` without `from`.
 */

/** What the caller may do in each repository of one registry; null when the registry is unknown. */
export async function accessInRegistry(principal: Principal | null, registry: string): Promise<((repository: string) => Set<DataAction>) | null> {
  const reg = await registryPolicy(registry);
  if (!reg) return null;
  if (!principal || principal.kind === "anonymous") return () => new Set();
  return permissionResolver(principal, reg);
}

/**
 * What the caller may list in `_catalog` in one registry: its own grants only.
 * Anonymous pull opens pulling to everyone, not listing (as in ACR), so it adds
 * nothing here: a credential for another registry must not enumerate this one.
 */
export async function catalogAccessInRegistry(principal: Principal | null, registry: string): Promise<((repository: string) => Set<DataAction>) | null> {
  const reg = await registryPolicy(registry);
  if (!reg) return null;
  if (!principal || principal.kind === "anonymous") return () => new Set();
  return permissionResolver(principal, { ...reg, anonymousPullEnabled: false });
}

/** Loads the principal a token names once per request. */
export function lazyPrincipal(sub: string): () => Promise<Principal | null> {
  let p: Promise<Principal | null> | null = null;
  return () => (p ??= principalFromSubject(sub));
}
