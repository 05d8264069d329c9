import { db } from "../core/db";
import { recordActivity } from "./activity";
import { conflict, invalid, notFound } from "../core/errors";
import { authorize, type Decision } from "../auth/authorize";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { collectGarbage } from "../registry/gc";
import { forgetResolvedNames } from "../registry/repository-resolver";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import { networkingFields, normaliseTags } from "./registry-create";
import { networkRuleProblem, type PublicAccess, type ResourceTag } from "../core/registry-rules";
import { updateRegistry } from "./registry-settings";

/**
 * What the portal's registry pages need beyond the settings service: listing and
 * reading only what the caller may read, resource tags, and deletion.
 */

async function decide(actor: Actor, operation: "read" | "changePolicies" | "deleteRegistry", registry: string, resourceGroup: string | null): Promise<Decision> {
  if (actor.kind === "system") return { allowed: true, reason: "Local operator." };
  return authorize(actor, operation, { type: "registry", registry, resourceGroup });
}

function view<R extends { networkRules: string; tags: string; resourceGroup: { name: string } | null }>(r: R) {
  return {
    ...r,
    resourceGroupName: r.resourceGroup?.name ?? null,
    networkRuleList: JSON.parse(r.networkRules) as string[],
    tagList: JSON.parse(r.tags) as ResourceTag[],
  };
}

/** The registries the caller may read (a registry it may not read is not listed at all). */
export async function listReadableRegistries(actor: Actor) {
  const rows = await db().registry.findMany({ orderBy: { name: "asc" }, include: { resourceGroup: { select: { name: true } } } });
  const allowed = await Promise.all(rows.map((r) => decide(actor, "read", r.name, r.resourceGroup?.name ?? null)));
  return rows.filter((_, i) => allowed[i].allowed).map(view);
}

/** The registry when the caller may read it; null when it does not exist or may not be read (both look the same). */
export async function findReadableRegistry(actor: Actor, name: string) {
  const key = String(name ?? "").trim().toLowerCase();
  if (!key) return null;
  const r = await db().registry.findUnique({ where: { name: key }, include: { resourceGroup: { select: { name: true } } } });
  if (!r) return null;
  if (!(await decide(actor, "read", r.name, r.resourceGroup?.name ?? null)).allowed) return null;
  return view(r);
}

export type RegistryCapabilities = { changePolicies: Decision; deleteRegistry: Decision };

/** What the caller may do on the settings page, with the reason when not (shown beside disabled controls). */
export async function registryCapabilities(actor: Actor, registry: string, resourceGroup: string | null): Promise<RegistryCapabilities> {
  const [changePolicies, deleteRegistry] = await Promise.all([
    decide(actor, "changePolicies", registry, resourceGroup),
    decide(actor, "deleteRegistry", registry, resourceGroup),
  ]);
  return { changePolicies, deleteRegistry };
}

export async function requireReadableRegistry(actor: Actor, name: string) {
  const r = await findReadableRegistry(actor, name);
  if (!r) throw notFound(`Registry '${name}' not found.`);
  return r;
}

/** Replaces the registry's resource tags. */
export async function updateRegistryTags(actor: Actor, name: string, tags: ResourceTag[]) {
  const reg = await requireReadableRegistry(actor, name);
  await requireActor(actor, "changePolicies", { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroupName });
  const next = normaliseTags(tags);
  return db().$transaction(async (tx) => {
    const r = await tx.registry.update({ where: { id: reg.id }, data: { tags: JSON.stringify(next) } });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.updateTags", target: reg.name, registryId: reg.id, before: { tags: reg.tagList }, after: { tags: next } });
    return r;
  });
}

/**
 * Deletes a registry after the caller typed its name. Its repositories, tokens,
 * scope maps and role assignments go with it (schema cascades); blobs that no
 * repository links any more are then removed by a garbage-collection pass.
 */
export async function deleteRegistryAs(actor: Actor, name: string, confirmName: string) {
  const reg = await requireReadableRegistry(actor, name);
  await requireActor(actor, "deleteRegistry", { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroupName });
  if (String(confirmName ?? "").trim().toLowerCase() !== reg.name) {
    throw invalid(`Type the registry name '${reg.name}' to confirm.`, "confirmName");
  }
  const counts = await db().registry.findUnique({
    where: { id: reg.id },
    select: { _count: { select: { repositories: true, tokens: true, roleAssignments: true } } },
  });
  if (!counts) throw notFound(`Registry '${reg.name}' not found.`);
  await db().$transaction(async (tx) => {
    const gone = await tx.registry.deleteMany({ where: { id: reg.id } });
    if (!gone.count) throw conflict(`Registry '${reg.name}' was deleted by someone else.`);
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "registry.delete",
      target: reg.name,
      registryId: reg.id,
      before: { sku: reg.sku, location: reg.location, resourceGroup: reg.resourceGroupName, ...counts._count },
    });
  });
  // This process's data plane must not serve the deleted registry from its caches.
  forgetResolvedNames();
  forgetRegistryPolicy(reg.name);
  const gc = await collectGarbage();
  return { name: reg.name, repositories: counts._count.repositories, tokens: counts._count.tokens, blobsDeleted: gc.blobsDeleted, bytesFreed: gc.bytesFreed };
}

/** Public access and network rules in the wizard's terms; each rule row is checked with its own message. */
export async function updateRegistryNetworking(actor: Actor, name: string, input: { publicAccess: PublicAccess; networkRules: string[] }) {
  const reg = await requireReadableRegistry(actor, name);
  await requireActor(actor, "changePolicies", { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroupName });
  if (input.publicAccess === "selected") {
    if (!input.networkRules.length) throw invalid("Add at least one address range, or allow all networks.", "networkRules");
    input.networkRules.forEach((r, i) => {
      const p = networkRuleProblem(r);
      if (p) throw invalid(`Rule ${i + 1}: ${p}`, `networkRules.${i}`);
    });
  }
  const net = networkingFields(input.publicAccess, input.networkRules);
  return updateRegistry(actor, reg.name, net);
}
