import { db } from "../core/db";

/**
 * Whose role assignments apply to a person or service principal: their own, and those of every group they belong
 * to. `where` filters RoleAssignment rows; `groups` names the groups (id → name) to explain an inherited grant.
 */
export type Holders = { where: { OR: { principalType: string; principalId: string | { in: string[] } }[] }; groups: Map<string, string> };

/** A person or service principal (principal.ts's shape, restated here: credential-state.ts, which principal.ts imports, needs this). */
export type Holder = { kind: "user" | "servicePrincipal"; id: string };

export async function assignmentHolders(principal: Holder): Promise<Holders> {
  const memberships = await db().groupMember.findMany({
    where: { memberType: principal.kind, memberId: principal.id },
    select: { group: { select: { id: true, name: true } } },
  });
  const groups = new Map(memberships.map((m) => [m.group.id, m.group.name]));
  const own = { principalType: principal.kind as string, principalId: principal.id };
  return { where: { OR: groups.size ? [own, { principalType: "group", principalId: { in: [...groups.keys()] } }] : [own] }, groups };
}

/** "via group devs" for a grant a group gives, or "" for the principal's own. */
export function viaGroup(holders: Holders, row: { principalType: string; principalId: string }): string {
  return row.principalType === "group" ? ` via group ${holders.groups.get(row.principalId) ?? "(deleted)"}` : "";
}
