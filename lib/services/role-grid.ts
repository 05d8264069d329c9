import { db } from "../core/db";
import { invalid } from "../core/errors";
import { authorize, effectiveRoles, permissionResolver } from "../auth/authorize";
import type { Principal } from "../auth/principal";
import { OPERATIONS, ROLE_OPERATIONS, ROLES, isRole, type Operation, type Role } from "../auth/roles";
import { describeScope, formatScope, parseScope, scopeChain, type Scope } from "../auth/scope";
import { requireActor, type Actor } from "../auth/actor";
import { resolveAssignee } from "./role-assignments";
import { findRegistry } from "./load-registry";

/**
 * The portal's access-control views: the principals × roles grid at one scope
 * (direct assignments, and those inherited from above, marked with where they
 * come from), the principal picker, and "Check access".
 */

/** `detail` is what `--assignee` takes for service principals (client id) and groups (`group:<name>`). */
export type PrincipalRef = { type: "user" | "servicePrincipal" | "group"; id: string; name: string; detail: string; disabled: boolean };

export type GridRow = {
  principal: PrincipalRef;
  direct: Role[];
  inherited: { role: Role; scope: string; from: string }[];
};

function scopeOf(input: string): Scope {
  return parseScope(input);
}

async function withResourceGroup(scope: Scope): Promise<Scope> {
  if (scope.type !== "registry" && scope.type !== "repository") return scope;
  const reg = await findRegistry(scope.registry);
  if (!reg) throw invalid(`Registry '${scope.registry}' does not exist.`, "scope");
  return { ...scope, resourceGroup: reg.resourceGroupName };
}

async function principalsById(rows: { principalType: string; principalId: string }[]): Promise<Map<string, PrincipalRef>> {
  const userIds = rows.filter((r) => r.principalType === "user").map((r) => r.principalId);
  const spIds = rows.filter((r) => r.principalType === "servicePrincipal").map((r) => r.principalId);
  const groupIds = rows.filter((r) => r.principalType === "group").map((r) => r.principalId);
  const [users, sps, groups] = await Promise.all([
    userIds.length ? db().user.findMany({ where: { id: { in: userIds } } }) : [],
    spIds.length ? db().servicePrincipal.findMany({ where: { id: { in: spIds } } }) : [],
    groupIds.length ? db().group.findMany({ where: { id: { in: groupIds } } }) : [],
  ]);
  const out = new Map<string, PrincipalRef>();
  for (const g of groups) out.set(g.id, groupRef(g));
  for (const u of users) out.set(u.id, { type: "user", id: u.id, name: u.username, detail: "User", disabled: u.disabled });
  for (const s of sps) out.set(s.id, { type: "servicePrincipal", id: s.id, name: s.displayName, detail: s.clientId, disabled: s.disabled });
  return out;
}

/** Every principal with a role that applies at `scope`; needs `read` there. */
export async function roleGrid(actor: Actor, scopeText: string): Promise<{ scope: string; rows: GridRow[]; canEdit: boolean }> {
  const scope = await withResourceGroup(scopeOf(scopeText));
  await requireActor(actor, "read", scope);
  const here = formatScope(scope);
  const chain = scopeChain(scope);
  const rows = await db().roleAssignment.findMany({ where: { scope: { in: chain } }, orderBy: { createdAt: "asc" } });
  const names = await principalsById(rows);
  const grid = new Map<string, GridRow>();
  for (const r of rows) {
    if (!isRole(r.role)) continue;
    const p = names.get(r.principalId);
    if (!p) continue; // assignment of a deleted principal
    const row = grid.get(p.id) ?? { principal: p, direct: [], inherited: [] };
    if (r.scope === here) row.direct.push(r.role);
    else row.inherited.push({ role: r.role, scope: r.scope, from: describeScope(r.scope) });
    grid.set(p.id, row);
  }
  const canEdit = actor.kind === "system" || (await authorize(actor, "assignRoles", scope)).allowed;
  const sorted = [...grid.values()].sort((a, b) => a.principal.type.localeCompare(b.principal.type) * -1 || a.principal.name.localeCompare(b.principal.name));
  return { scope: here, rows: sorted, canEdit };
}

/** Users and service principals matching `query`, for the picker; needs assignRoles at `scope`. */
export async function searchPrincipals(actor: Actor, input: { scope: string; query?: string }): Promise<PrincipalRef[]> {
  const scope = await withResourceGroup(scopeOf(input.scope));
  await requireActor(actor, "assignRoles", scope);
  const q = (input.query ?? "").trim().toLowerCase().slice(0, 64);
  const [users, groups, sps] = await Promise.all([
    db().user.findMany({ where: q ? { username: { contains: q } } : {}, orderBy: { username: "asc" }, take: 20 }),
    db().group.findMany({ where: q ? { name: { contains: q.replace(/^group:/, "") } } : {}, orderBy: { name: "asc" }, take: 20 }),
    db().servicePrincipal.findMany({
      where: q ? { OR: [{ displayName: { contains: q } }, { clientId: { startsWith: q } }] } : {},
      orderBy: { displayName: "asc" },
      take: 20,
    }),
  ]);
  return [
    ...users.map((u): PrincipalRef => ({ type: "user", id: u.id, name: u.username, detail: "User", disabled: u.disabled })),
    ...sps.map((s): PrincipalRef => ({ type: "servicePrincipal", id: s.id, name: s.displayName, detail: s.clientId, disabled: s.disabled })),
    ...groups.map(groupRef),
  ];
}

function groupRef(g: { id: string; name: string }): PrincipalRef {
  return { type: "group", id: g.id, name: g.name, detail: `group:${g.name}`, disabled: false };
}

export type AccessCheck = {
  principal: PrincipalRef;
  scope: string;
  roles: { role: Role; scope: string; from: string; inherited: boolean }[];
  operations: { operation: Operation; allowed: boolean; via: { role: Role; from: string }[] }[];
  /** What a docker client gets on the repository (or registry-wide when no repository is named). */
  dataActions: string[];
};


/** A principal's effective permissions at a registry or repository, and which assignment gives each. */
export async function checkAccess(actor: Actor, input: { assignee: string; scope: string }): Promise<AccessCheck> {
  const scope = await withResourceGroup(scopeOf(input.scope));
  await requireActor(actor, "read", scope);
  const who = await resolveAssignee(input.assignee);
  if (who.principalType === "group") throw invalid(`Check access for a person or service principal: ${who.name}'s roles are in the grid, and apply to each member.`, "assignee");
  const principal: Principal = { kind: who.principalType, id: who.principalId, name: who.name };
  const roles = await effectiveRoles(principal, scope);
  const operations = OPERATIONS.map((operation) => {
    const via = roles.filter((r) => ROLE_OPERATIONS[r.role].has(operation)).map((r) => ({ role: r.role, from: describeScope(r.scope) }));
    return { operation, allowed: via.length > 0, via };
  });
  let dataActions: string[] = [];
  if (scope.type === "registry" || scope.type === "repository") {
    const reg = await findRegistry(scope.registry);
    if (reg) {
      const perms = await permissionResolver(principal, { ...reg, resourceGroup: reg.resourceGroupName });
      dataActions = [...perms(scope.type === "repository" ? scope.repository : "\u0000")].sort();
    }
  }
  const refs = await principalsById([{ principalType: who.principalType, principalId: who.principalId }]);
  return {
    principal: refs.get(who.principalId)!,
    scope: formatScope(scope),
    roles: roles.map((r) => ({ ...r, from: describeScope(r.scope) })),
    operations,
    dataActions,
  };
}

export { ROLES };
