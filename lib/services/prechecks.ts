import { requireActor, type Actor } from "../auth/actor";
import type { Operation } from "../auth/roles";
import { parseScope } from "../auth/scope";
import { findRegistry, registryScope } from "./load-registry";

/**
 * Authorisation before validation, for front doors that hold raw input (server
 * actions validate with zod before calling a service): each check throws DENIED
 * when the actor lacks the operation where the input points, whatever else is
 * wrong with the input. Input these cannot read is left to validation to report.
 */

/** On an existing registry named by `name`. */
export async function precheckRegistry(actor: Actor, name: unknown, operation: Operation): Promise<void> {
  const reg = await findRegistry(name);
  if (reg) await requireActor(actor, operation, registryScope(reg));
}

/** On the whole organisation (users, service principals). */
export async function precheckOrganisation(actor: Actor, operation: Operation): Promise<void> {
  await requireActor(actor, operation, { type: "organisation" });
}

/** At a scope written as in role assignments ("/", "/registries/x", …). */
export async function precheckScope(actor: Actor, scope: unknown, operation: Operation): Promise<void> {
  let parsed;
  try {
    parsed = parseScope(String(scope ?? ""));
  } catch {
    return;
  }
  if (parsed.type === "registry" || parsed.type === "repository") {
    const reg = await findRegistry(parsed.registry);
    if (!reg) return;
    parsed = { ...parsed, resourceGroup: reg.resourceGroupName };
  }
  await requireActor(actor, operation, parsed);
}
