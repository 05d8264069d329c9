import { db } from "../core/db";
import { assignmentHolders } from "../auth/assignment-holders";
import { denied, invalid, notFound } from "../core/errors";
import { isValidRepositoryName } from "../core/names";
import { authorize, permissionResolver, type RegistryRef } from "../auth/authorize";
import type { Actor } from "../auth/actor";
import type { LockFlags } from "../registry/locks";
import type { Repo } from "../registry/repository-resolver";
import { findRegistry, registryScope, type LoadedRegistry } from "./load-registry";

/**
 * Who may see which repositories of a registry, and loading one repository: what
 * repositories.ts, tags.ts, manifests.ts and locks.ts share.
 */

export const LOCK_SELECT = { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true } as const;

export function locksOf(row: LockFlags): LockFlags {
  return { writeEnabled: row.writeEnabled, deleteEnabled: row.deleteEnabled, readEnabled: row.readEnabled, listEnabled: row.listEnabled };
}

export function checkRepositoryName(name: unknown): string {
  const n = String(name ?? "").trim();
  if (!isValidRepositoryName(n)) throw invalid(`'${String(name ?? "")}' is not a repository name: lower-case path components like team/app.`, "repository");
  return n;
}

const refOf = (reg: LoadedRegistry): RegistryRef => ({ ...reg, resourceGroup: reg.resourceGroupName });

/**
 * Which repositories of `reg` the actor may see: every one for those with a
 * registry-wide role that reads (Reader and up) or pulls; otherwise only those
 * named in the actor's repository-scoped role assignments.
 */
export async function repositoryVisibility(actor: Actor, reg: LoadedRegistry): Promise<{ all: true } | { all: false; names: string[] }> {
  if (actor.kind === "system") return { all: true };
  if ((await authorize(actor, "read", registryScope(reg))).allowed) return { all: true };
  const perms = await permissionResolver(actor, refOf(reg));
  if (perms("\u0000").has("metadata_read")) return { all: true };
  if (actor.kind !== "user" && actor.kind !== "servicePrincipal") return { all: false, names: [] };
  const prefix = `/registries/${reg.name}/repositories/`;
  const rows = await db().roleAssignment.findMany({
    where: { AND: [(await assignmentHolders(actor)).where, { scope: { startsWith: prefix } }] },
    select: { scope: true },
  });
  const names = [...new Set(rows.map((r) => r.scope.slice(prefix.length)))].filter((n) => perms(n).has("metadata_read")).sort();
  return { all: false, names };
}

/**
 * DENIED unless the actor may delete in some repository of the registry (registry-wide, or by a repository-scoped
 * role): the authorisation that comes before any validation for actions that delete by a list (purge, Delete now).
 */
export async function requireDeleteSomewhere(actor: Actor, reg: LoadedRegistry): Promise<void> {
  if (actor.kind === "system") return;
  if ((await authorize(actor, "deleteImage", registryScope(reg))).allowed) return;
  if (actor.kind === "user" || actor.kind === "servicePrincipal") {
    const perms = await permissionResolver(actor, refOf(reg));
    const prefix = `/registries/${reg.name}/repositories/`;
    const rows = await db().roleAssignment.findMany({ where: { AND: [(await assignmentHolders(actor)).where, { scope: { startsWith: prefix } }] }, select: { scope: true } });
    if (rows.some((r) => perms(r.scope.slice(prefix.length)).has("delete"))) return;
  }
  throw denied(`You may not delete anything in registry ${reg.name}. Ask an Owner for Contributor on the registry, or AcrDelete on the repositories.`);
}

/** Visibility, or DENIED when the actor may see no repository of the registry at all. */
export async function visibleOrDenied(actor: Actor, reg: LoadedRegistry) {
  const v = await repositoryVisibility(actor, reg);
  if (!v.all && v.names.length === 0) {
    throw denied(`You have no role on registry ${reg.name} or any of its repositories. Ask an Owner for Reader (or AcrPull on a repository).`);
  }
  return v;
}

/**
 * The registry (name, SKU, resource group) for someone without a registry-wide
 * role who holds a role on some of its repositories; null otherwise.
 */
export async function findRegistryForRepositoryViewer(actor: Actor, name: string): Promise<{ name: string; sku: string; resourceGroupName: string | null } | null> {
  const reg = await findRegistry(name);
  if (!reg) return null;
  const v = await repositoryVisibility(actor, reg);
  if (!v.all && !v.names.length) return null;
  return { name: reg.name, sku: reg.sku, resourceGroupName: reg.resourceGroupName };
}

/** May the actor see this one repository (pull/read its metadata)? Throws DENIED when not. */
export async function requireRepositoryRead(actor: Actor, reg: LoadedRegistry, repository: string): Promise<void> {
  if (actor.kind === "system") return;
  if ((await authorize(actor, "read", registryScope(reg))).allowed) return;
  const perms = await permissionResolver(actor, refOf(reg));
  if (perms(repository).has("metadata_read")) return;
  throw denied(`You may not see repository ${reg.name}/${repository}. Ask an Owner for Reader on the registry or AcrPull on the repository.`);
}

/** The repository row with its locks; NOT_FOUND (field `repository`) when the registry has none by that name. */
export async function loadRepository(reg: LoadedRegistry, repository: string) {
  const repo = await db().repository.findUnique({
    where: { registryId_name: { registryId: reg.id, name: repository } },
    select: { id: true, name: true, createdAt: true, ...LOCK_SELECT },
  });
  if (!repo) throw notFound(`Repository '${repository}' not found in registry ${reg.name}.`, "repository");
  return repo;
}

/** The engine's handle on a repository (for the manifest service). */
export function repoRef(reg: LoadedRegistry, repo: { id: string; name: string }): Repo {
  return { id: repo.id, registryId: reg.id, registry: reg.name, name: repo.name, fullName: `${reg.name}/${repo.name}` };
}
