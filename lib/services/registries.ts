import { db } from "../core/db";
import { config } from "../core/context";
import { conflict, denied, invalid, isUniqueViolation, notFound } from "../core/errors";
import { canonicalRegistryName, registryNameProblem, wizardProblems, type RegistryInput } from "../core/registry-rules";
import { authorize, type Decision } from "../auth/authorize";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import { collectGarbage } from "../registry/gc";
import { queueBlobReviews } from "../registry/gc-queue";
import { forgetResolvedNames } from "../registry/repository-resolver";
import { recordActivity } from "./activity";
import { findRegistry, loaded, REGISTRY_INCLUDE, registryScope, type LoadedRegistry } from "./load-registry";
import { networkingFields, normaliseTags, wizardContext, WizardInvalid } from "./registry-fields";

/**
 * Registries as a whole: create, list, show, delete. The portal's wizard and the
 * CLI both create through createRegistry, so both get every rule of every tab, the
 * same authorisation and the same activity records. Settings changes live in
 * registry-settings.ts.
 */

async function decide(actor: Actor, operation: "read" | "changePolicies" | "deleteRegistry", reg: { name: string; resourceGroupName: string | null }): Promise<Decision> {
  if (actor.kind === "system") return { allowed: true, reason: "Local operator." };
  return authorize(actor, operation, registryScope(reg));
}

/** The registries the caller may read (a registry it may not read is not listed at all). */
export async function listRegistries(actor: Actor): Promise<LoadedRegistry[]> {
  const rows = (await db().registry.findMany({ orderBy: { name: "asc" }, include: REGISTRY_INCLUDE })).map(loaded);
  const allowed = await Promise.all(rows.map((r) => decide(actor, "read", r)));
  return rows.filter((_, i) => allowed[i].allowed);
}

/** The registry when the caller may read it; null when it does not exist or may not be read (both look the same). */
export async function findReadableRegistry(actor: Actor, name: string): Promise<LoadedRegistry | null> {
  const r = await findRegistry(name);
  if (!r || !(await decide(actor, "read", r)).allowed) return null;
  return r;
}

/** The registry; NOT_FOUND (field `registry`) when it does not exist or the caller may not read it. */
export async function showRegistry(actor: Actor, name: string): Promise<LoadedRegistry> {
  const r = await findReadableRegistry(actor, name);
  if (!r) throw notFound(`Registry '${canonicalRegistryName(name)}' not found.`, "registry");
  return r;
}

export type RegistryCapabilities = { changePolicies: Decision; deleteRegistry: Decision };

/** What the caller may do on the settings page, with the reason when not (shown beside disabled controls). */
export async function registryCapabilities(actor: Actor, registry: string, resourceGroup: string | null): Promise<RegistryCapabilities> {
  const reg = { name: registry, resourceGroupName: resourceGroup };
  const [changePolicies, deleteRegistry] = await Promise.all([decide(actor, "changePolicies", reg), decide(actor, "deleteRegistry", reg)]);
  return { changePolicies, deleteRegistry };
}

export type NameCheck = { name: string; valid: boolean; available: boolean; message: string | null };

/** Live check for the wizard: rules first, then whether the lower-cased name is free. */
export async function checkRegistryName(actor: Actor, input: string): Promise<NameCheck> {
  // Registry names are global (like ACR's); any signed-in person may ask, registry-bound credentials may not.
  if (actor.kind === "admin" || actor.kind === "token" || actor.kind === "anonymous") throw denied("Sign in to check registry names.");
  const name = canonicalRegistryName(input);
  const problem = registryNameProblem(name);
  if (problem) return { name, valid: false, available: false, message: problem };
  return (await findRegistry(name))
    ? { name, valid: true, available: false, message: `The registry name '${name}' is already in use.` }
    : { name, valid: true, available: true, message: null };
}

/** The new group a registry goes in when the caller names none and no existing group fits (the CLI cannot ask). */
export const DEFAULT_RESOURCE_GROUP = "default";

/**
 * Where a registry goes when the caller names no resource group: as the portal
 * wizard preselects, the first group (by name) the caller may create registries
 * in; with none, a new group "default".
 */
export async function defaultResourceGroup(actor: Actor): Promise<{ mode: "existing" | "new"; name: string }> {
  const groups = await db().resourceGroup.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  for (const g of groups) {
    if (actor.kind === "system" || (await authorize(actor, "createRegistry", { type: "resourceGroup", resourceGroup: g.name })).allowed) {
      return { mode: "existing", name: g.name };
    }
  }
  return { mode: "new", name: DEFAULT_RESOURCE_GROUP };
}

/** A new registry: only the name is required; the rest defaults as the wizard's first screen does. */
export type NewRegistry = { name: string } & Partial<Omit<RegistryInput, "name">>;

function withDefaults(input: NewRegistry): RegistryInput {
  return {
    resourceGroup: input.resourceGroup ?? null,
    name: String(input.name ?? ""),
    location: input.location ?? config().WHARF_LOCATIONS[0],
    sku: input.sku ?? "Standard",
    publicAccess: input.publicAccess ?? "all",
    networkRules: input.networkRules ?? [],
    encryption: input.encryption ?? "service-managed",
    tags: input.tags ?? [],
  };
}

/**
 * Creates a registry after every rule of every wizard tab (WizardInvalid lists all
 * problems), in one transaction with its activity entries; a new resource group
 * asked for is created in the same transaction.
 */
export async function createRegistry(actor: Actor, newRegistry: NewRegistry) {
  const input = withDefaults(newRegistry);
  const rg = input.resourceGroup;
  const rgName = rg?.name.trim() ?? "";
  // Authorisation first: a new resource group (or none) needs the organisation scope; an existing one its own.
  const existingRg = rg?.mode === "existing" && rgName ? await db().resourceGroup.findUnique({ where: { name: rgName } }) : null;
  await requireActor(actor, "createRegistry", existingRg ? { type: "resourceGroup", resourceGroup: existingRg.name } : { type: "organisation" });

  const problems = wizardProblems(input, wizardContext());
  const has = (field: string) => problems.some((p) => p.field === field);
  if (rg?.mode === "existing" && !existingRg && !has("resourceGroup")) {
    problems.push({ tab: "basics", field: "resourceGroup", message: `Resource group '${rgName}' does not exist; pick another or create it.` });
  }
  if (rg?.mode === "new" && !has("resourceGroup") && (await db().resourceGroup.findUnique({ where: { name: rgName } }))) {
    problems.push({ tab: "basics", field: "resourceGroup", message: `Resource group '${rgName}' already exists; pick it from the list instead.` });
  }
  const name = canonicalRegistryName(input.name);
  if (!has("name") && (await findRegistry(name))) {
    problems.push({ tab: "basics", field: "name", message: `The registry name '${name}' is already in use.` });
  }
  if (problems.length) throw new WizardInvalid(problems);

  const net = networkingFields(input.publicAccess, input.networkRules);
  const tags = normaliseTags(input.tags);
  try {
    const created = await db().$transaction(async (tx) => {
      let rgId = existingRg?.id ?? null;
      if (rg && !rgId) {
        const group = await tx.resourceGroup.create({ data: { name: rgName, location: input.location } });
        await recordActivity(tx, { actor: actorName(actor), action: "resourceGroup.create", target: group.name });
        rgId = group.id;
      }
      const reg = await tx.registry.create({
        data: {
          name,
          sku: input.sku,
          location: input.location,
          resourceGroupId: rgId,
          publicNetworkAccess: net.publicNetworkAccess,
          networkDefaultAction: net.networkDefaultAction,
          networkRules: JSON.stringify(net.networkRules),
          // Only the service-managed key exists; a customer-managed choice was refused above.
          encryption: "service-managed",
          tags: JSON.stringify(tags),
        },
        include: REGISTRY_INCLUDE,
      });
      await recordActivity(tx, {
        actor: actorName(actor),
        action: "registry.create",
        target: name,
        registryId: reg.id,
        after: { resourceGroup: rg ? rgName : null, sku: reg.sku, location: reg.location, ...net, encryption: reg.encryption, tags },
      });
      return loaded(reg);
    });
    // A "no such registry" the data plane may have cached for this name is now wrong.
    forgetRegistryPolicy(name);
    return created;
  } catch (err) {
    // Someone took the name (or created the group) between our checks and our insert.
    if (isUniqueViolation(err)) {
      const target = JSON.stringify((err as { meta?: unknown }).meta ?? "");
      if (/ResourceGroup/i.test(target)) throw conflict(`Resource group '${rgName}' already exists; pick it from the list instead.`, "resourceGroup");
      throw conflict(`The registry name '${name}' is already in use.`, "name");
    }
    throw err;
  }
}

/**
 * Deletes a registry after the caller typed its name. Its repositories, tokens,
 * scope maps and role assignments go with it (schema cascades); blobs that no
 * repository links any more are then removed by a garbage-collection pass.
 */
export async function deleteRegistry(actor: Actor, name: string, confirmName: string) {
  const reg = await showRegistry(actor, name);
  await requireActor(actor, "deleteRegistry", registryScope(reg));
  if (canonicalRegistryName(confirmName) !== reg.name) {
    throw invalid(`Type the registry name '${reg.name}' to confirm.`, "confirmName");
  }
  const counts = await db().registry.findUnique({
    where: { id: reg.id },
    select: { _count: { select: { repositories: true, tokens: true, roleAssignments: true } } },
  });
  if (!counts) throw notFound(`Registry '${reg.name}' not found.`, "registry");
  await db().$transaction(async (tx) => {
    // Everything the registry held goes to garbage collection's queue with it, in the deleting transaction.
    const [links, manifests, binned] = await Promise.all([
      tx.blobLink.findMany({ where: { repository: { registryId: reg.id } }, select: { digest: true } }),
      tx.manifest.findMany({ where: { repository: { registryId: reg.id } }, select: { digest: true } }),
      tx.recycledManifest.findMany({ where: { registryId: reg.id }, select: { digest: true } }),
    ]);
    await queueBlobReviews(tx, [...links, ...manifests, ...binned].map((x) => x.digest), reg.id);
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
  const gc = await collectGarbage({ registryId: reg.id, graceMs: config().WHARF_GC_GRACE_SECONDS * 1000, uploadMaxIdleMs: config().WHARF_UPLOAD_MAX_IDLE_SECONDS * 1000 });
  return { name: reg.name, repositories: counts._count.repositories, tokens: counts._count.tokens, blobsDeleted: gc.blobsDeleted, bytesFreed: gc.bytesFreed };
}
