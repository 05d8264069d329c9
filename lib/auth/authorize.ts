import { db } from "../core/db";
import { skuLimits } from "../core/skus";
import type { Principal } from "./principal";
import { ROLE_OPERATIONS, isRole, type Operation, type Role } from "./roles";
import { formatScope, scopeChain, type Scope } from "./scope";
import { actionsFor, type RepoAction } from "./scope-map-actions";
import { assignmentHolders } from "./assignment-holders";

/**
 * The one place that decides who may do what. The token endpoint, every /v2
 * request (through the token's claims), every server action and the CLI ask here.
 */

export type RegistryRef = {
  id: string;
  name: string;
  sku: string;
  anonymousPullEnabled: boolean;
  resourceGroup?: string | null;
};

/** What a data-plane token may carry for a repository. */
export type DataAction = "pull" | "push" | "delete" | "metadata_read" | "metadata_write";

export type Decision = { allowed: boolean; reason: string };

/** `group` names the group the role comes through, when it is not the principal's own. */
export type EffectiveRole = { role: Role; scope: string; inherited: boolean; group?: string };

/** The role assignments that apply to `principal` at `scope` (inherited ones included). */
export async function effectiveRoles(principal: Principal, scope: Scope): Promise<EffectiveRole[]> {
  if (principal.kind !== "user" && principal.kind !== "servicePrincipal") return [];
  const resolved = await withResourceGroup(scope);
  const chain = scopeChain(resolved);
  const here = formatScope(resolved);
  const holders = await assignmentHolders(principal);
  const rows = await db().roleAssignment.findMany({ where: { AND: [holders.where, { scope: { in: chain } }] } });
  return rows
    .filter((r) => isRole(r.role))
    .map((r) => {
      const group = r.principalType === "group" ? (holders.groups.get(r.principalId) ?? "(deleted)") : undefined;
      return { role: r.role as Role, scope: r.scope, inherited: r.scope !== here || group !== undefined, ...(group ? { group } : {}) };
    })
    .sort((a, b) => chain.indexOf(a.scope) - chain.indexOf(b.scope));
}

/** Registries belong to resource groups; inheritance needs to know which. */
async function withResourceGroup(scope: Scope): Promise<Scope> {
  if ((scope.type === "registry" || scope.type === "repository") && scope.resourceGroup === undefined) {
    const reg = await db().registry.findUnique({ where: { name: scope.registry }, include: { resourceGroup: true } });
    return { ...scope, resourceGroup: reg?.resourceGroup?.name ?? null };
  }
  return scope;
}

export async function authorize(principal: Principal, operation: Operation, scope: Scope): Promise<Decision> {
  // Registry-bound credentials act only on their registry's content.
  if (principal.kind === "admin" || principal.kind === "token" || principal.kind === "anonymous") {
    const dataOp = operation === "pull" || operation === "push" || operation === "deleteImage";
    if (!dataOp || scope.type === "organisation" || scope.type === "resourceGroup") {
      return { allowed: false, reason: `${describe(principal)} can only pull or push images; it cannot ${opText(operation)}.` };
    }
    const reg = await db().registry.findUnique({ where: { name: scope.registry } });
    if (!reg) return { allowed: false, reason: `Registry '${scope.registry}' does not exist.` };
    const repo = scope.type === "repository" ? scope.repository : null;
    const perms = repo
      ? await repositoryPermissions(principal, reg, repo)
      : await registryWidePermissions(principal, reg);
    const need: DataAction = operation === "pull" ? "pull" : operation === "push" ? "push" : "delete";
    return perms.has(need)
      ? { allowed: true, reason: `${describe(principal)} may ${opText(operation)}.` }
      : { allowed: false, reason: `${describe(principal)} may not ${opText(operation)} here.` };
  }
  const roles = await effectiveRoles(principal, scope);
  const granting = roles.find((r) => ROLE_OPERATIONS[r.role].has(operation));
  if (granting) {
    const via = granting.group ? ` (through group ${granting.group})` : granting.inherited ? " (inherited)" : "";
    return { allowed: true, reason: `${granting.role} at ${granting.scope}${via}.` };
  }
  const needed = Object.entries(ROLE_OPERATIONS)
    .filter(([, ops]) => ops.has(operation))
    .map(([role]) => role);
  return {
    allowed: false,
    reason: `You need one of the roles ${needed.join(", ")} at ${formatScope(scope)} or above to ${opText(operation)}.`,
  };
}


const OP_TO_DATA: Partial<Record<Operation, DataAction[]>> = {
  pull: ["pull", "metadata_read"],
  push: ["push", "metadata_write"],
  deleteImage: ["delete"],
};

const REPO_TO_DATA: Record<RepoAction, DataAction> = {
  "content/read": "pull",
  "content/write": "push",
  "content/delete": "delete",
  "metadata/read": "metadata_read",
  "metadata/write": "metadata_write",
};

function anonymousPull(reg: RegistryRef): boolean {
  return reg.anonymousPullEnabled && skuLimits(reg.sku).anonymousPull;
}

/** Everything `principal` may do on one repository of `reg`. */
export async function repositoryPermissions(principal: Principal, reg: RegistryRef, repository: string): Promise<Set<DataAction>> {
  return (await permissionResolver(principal, reg))(repository);
}

/**
 * Loads what decides `principal`'s access to `reg` once (role assignments or the
 * token's scope map), then answers per repository without further queries.
 */
export async function permissionResolver(principal: Principal, reg: RegistryRef): Promise<(repository: string) => Set<DataAction>> {
  // Anonymous pull opens every repository; credentials then add nothing for pull.
  const base: DataAction[] = anonymousPull(reg) ? ["pull", "metadata_read"] : [];
  switch (principal.kind) {
    case "anonymous":
      return () => new Set(base);
    case "admin": {
      const all: DataAction[] = principal.registryId === reg.id ? ["pull", "push", "metadata_read", "metadata_write"] : [];
      return () => new Set([...base, ...all]);
    }
    case "token": {
      const t = principal.registryId === reg.id
        ? await db().registryToken.findUnique({ where: { id: principal.id }, include: { scopeMap: true } })
        : null;
      const actions = t?.enabled ? (JSON.parse(t.scopeMap.actions) as string[]) : [];
      return (repo) => {
        const out = new Set<DataAction>(base);
        for (const a of actionsFor(actions, repo)) out.add(REPO_TO_DATA[a]);
        return out;
      };
    }
    case "user":
    case "servicePrincipal": {
      const registryScope: Scope = { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroup };
      const repoPrefix = `/registries/${reg.name}/repositories/`;
      const holders = await assignmentHolders(principal);
      const rows = await db().roleAssignment.findMany({
        where: { AND: [holders.where, { OR: [{ scope: { in: scopeChain(registryScope) } }, { scope: { startsWith: repoPrefix } }] }] },
      });
      const registryWide = new Set<DataAction>(base);
      const perRepo = new Map<string, Set<DataAction>>();
      for (const r of rows) {
        if (!isRole(r.role)) continue;
        let target = registryWide;
        if (r.scope.startsWith(repoPrefix)) {
          const repo = r.scope.slice(repoPrefix.length);
          target = perRepo.get(repo) ?? new Set();
          perRepo.set(repo, target);
        }
        for (const op of ROLE_OPERATIONS[r.role]) for (const a of OP_TO_DATA[op] ?? []) target.add(a);
      }
      return (repo) => new Set([...registryWide, ...(perRepo.get(repo) ?? [])]);
    }
  }
}

/** Permissions that hold on every repository of a registry (no repository-scoped grants). */
async function registryWidePermissions(principal: Principal, reg: RegistryRef): Promise<Set<DataAction>> {
  // A name no repository can have, so only registry-wide grants match.
  return repositoryPermissions(principal, reg, "\u0000");
}

/**
 * The Docker token rule: granted = asked ∩ allowed, never an error for asking
 * too much. "*" (skopeo's delete) asks for everything. Pull also brings
 * metadata_read when allowed, so `tags/list` works for those who may read tags.
 */
export async function grantRepositoryScope(
  principal: Principal,
  reg: RegistryRef,
  repository: string,
  asked: string[],
): Promise<string[]> {
  const perms = await repositoryPermissions(principal, reg, repository);
  const wantsAll = asked.includes("*");
  const granted = new Set<string>();
  for (const a of wantsAll ? ["pull", "push", "delete"] : asked) {
    if ((a === "pull" || a === "push" || a === "delete" || a === "metadata_read" || a === "metadata_write") && perms.has(a)) granted.add(a);
  }
  if (granted.has("pull") && perms.has("metadata_read")) granted.add("metadata_read");
  if (granted.has("push") && perms.has("metadata_write")) granted.add("metadata_write");
  if (wantsAll && granted.has("pull") && granted.has("push") && granted.has("delete")) granted.add("*");
  return [...granted];
}

/** Keeps the repositories of `reg` that `principal` may read the metadata of (for `_catalog`). */
export async function readableRepositories(principal: Principal, reg: RegistryRef, repositories: string[]): Promise<string[]> {
  // The catalog is never anonymous, even when anonymous pull is on (as in ACR).
  if (principal.kind === "anonymous") return [];
  const permissions = await permissionResolver(principal, reg);
  return repositories.filter((name) => permissions(name).has("metadata_read"));
}

function describe(p: Principal): string {
  switch (p.kind) {
    case "anonymous":
      return "An anonymous caller";
    case "admin":
      return `The admin user of registry ${p.registry}`;
    case "token":
      return `Token '${p.name}' of registry ${p.registry}`;
    default:
      return p.name;
  }
}

function opText(op: Operation): string {
  const text: Record<Operation, string> = {
    read: "read configuration",
    createRegistry: "create registries",
    deleteRegistry: "delete registries",
    push: "push images",
    pull: "pull images",
    deleteImage: "delete images",
    changePolicies: "change policies",
    sign: "sign images",
    assignRoles: "assign roles",
  };
  return text[op];
}
