import { db } from "../core/db";
import type { Principal } from "../auth/principal";
import { ROLE_OPERATIONS, isRole, OPERATIONS, type Operation, type Role } from "../auth/roles";
import { describeScope } from "../auth/scope";
import { assignmentHolders } from "../auth/assignment-holders";

/**
 * "What can I do, and why": every registry and repository a person reaches through their role assignments, with the
 * operations each grants and the assignment that grants it. People with narrow roles (AcrPush on one repository)
 * cannot read a registry's settings, so the registry list alone shows them nothing; this is what they can use.
 */

/** `group`: the group the role is assigned to, when it is not the person's own assignment. */
export type Grant = { role: Role; scope: string; from: string; group?: string };
export type Reach = {
  /** Operations granted here, in the role table's order. */
  operations: Operation[];
  grants: Grant[];
};
export type RegistryReach = Reach & {
  registry: string;
  resourceGroup: string | null;
  /** Operations that apply to every repository of the registry (organisation, resource group or registry scope). */
  repositories: (Reach & { repository: string })[];
};
export type MyAccess = { organisation: Reach; resourceGroups: (Reach & { resourceGroup: string })[]; registries: RegistryReach[] };

const REPO_SCOPE = /^\/registries\/([^/]+)\/repositories\/(.+)$/;

function reach(grants: Grant[]): Reach {
  const ops = new Set<Operation>();
  for (const g of grants) for (const op of ROLE_OPERATIONS[g.role]) ops.add(op);
  return { operations: OPERATIONS.filter((o) => ops.has(o)), grants };
}

/** The caller's own access: no other authorisation needed, a person may always see what they may do. */
export async function myAccess(principal: Principal): Promise<MyAccess> {
  const empty: MyAccess = { organisation: reach([]), resourceGroups: [], registries: [] };
  if (principal.kind !== "user" && principal.kind !== "servicePrincipal") return empty;
  const holders = await assignmentHolders(principal);
  const rows = await db().roleAssignment.findMany({ where: holders.where, select: { role: true, scope: true, principalType: true, principalId: true } });
  const grants = rows
    .filter((r) => isRole(r.role))
    .map((r): Grant => {
      const group = r.principalType === "group" ? holders.groups.get(r.principalId) : undefined;
      return { role: r.role as Role, scope: r.scope, from: describeScope(r.scope), ...(group ? { group } : {}) };
    });
  if (!grants.length) return empty;

  const org = grants.filter((g) => g.scope === "/");
  const byGroup = new Map<string, Grant[]>();
  const byRegistry = new Map<string, Grant[]>();
  const byRepository = new Map<string, Map<string, Grant[]>>();
  for (const g of grants) {
    const repo = REPO_SCOPE.exec(g.scope);
    if (repo) {
      const repos = byRepository.get(repo[1]) ?? new Map<string, Grant[]>();
      repos.set(repo[2], [...(repos.get(repo[2]) ?? []), g]);
      byRepository.set(repo[1], repos);
    } else if (g.scope.startsWith("/resourceGroups/")) {
      const name = g.scope.slice("/resourceGroups/".length);
      byGroup.set(name, [...(byGroup.get(name) ?? []), g]);
    } else if (g.scope.startsWith("/registries/")) {
      const name = g.scope.slice("/registries/".length);
      byRegistry.set(name, [...(byRegistry.get(name) ?? []), g]);
    }
  }

  // With an organisation-wide role every registry is reached; otherwise only those named by some assignment.
  const registries = await db().registry.findMany({
    where: org.length ? {} : { OR: [{ name: { in: [...byRegistry.keys(), ...byRepository.keys()] } }, { resourceGroup: { name: { in: [...byGroup.keys()] } } }] },
    select: { name: true, resourceGroup: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
  return {
    organisation: reach(org),
    resourceGroups: [...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([resourceGroup, g]) => ({ resourceGroup, ...reach(g) })),
    registries: registries.map((r): RegistryReach => {
      const rg = r.resourceGroup?.name ?? null;
      const wide = [...org, ...(rg ? (byGroup.get(rg) ?? []) : []), ...(byRegistry.get(r.name) ?? [])];
      const repos = [...(byRepository.get(r.name) ?? new Map<string, Grant[]>())].sort(([a], [b]) => a.localeCompare(b));
      return {
        registry: r.name,
        resourceGroup: rg,
        ...reach(wide),
        repositories: repos.map(([repository, g]) => ({ repository, ...reach([...wide, ...g]) })),
      };
    }),
  };
}
