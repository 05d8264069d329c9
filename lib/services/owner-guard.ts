import type { Tx } from "../core/db";
import { conflict } from "../core/errors";
import { serializeKey } from "../registry/row-locks";

/**
 * Runs a change that may take Owner away from someone (removing an Owner assignment, deleting or disabling a
 * principal, deleting a group or removing one of its members) inside the caller's transaction, and refuses it,
 * which rolls it back, when it leaves no enabled user or service principal holding Owner on the organisation,
 * directly or through a group: nobody could assign roles any more. The CLI's local operator still could, but a
 * portal user would be locked out. An organisation that had no enabled Owner before is not this change's doing.
 *
 * Two such changes at once must not each leave the other's Owner behind: the key orders them, so the later one
 * counts after the earlier one has committed (on SQLite, write transactions never overlap anyway).
 */
export async function keepAnOwner<T>(tx: Tx, who: string, change: () => Promise<T>): Promise<T> {
  await serializeKey(tx, "organisation-owners");
  const before = await enabledOwners(tx);
  const out = await change();
  if (before && !(await enabledOwners(tx))) {
    throw conflict(`${who} is the last Owner of the organisation: afterwards no enabled user or service principal would be Owner, and nobody could assign roles. Assign Owner to someone else first (directly or through a group).`);
  }
  return out;
}

/** How many enabled users and service principals hold Owner on the organisation, directly or through a group. */
async function enabledOwners(tx: Tx): Promise<number> {
  const owners = await tx.roleAssignment.findMany({ where: { role: "Owner", scope: "/" }, select: { principalType: true, principalId: true } });
  const ids = (type: string) => owners.filter((o) => o.principalType === type).map((o) => o.principalId);
  const groupIds = ids("group");
  const members = groupIds.length
    ? await tx.groupMember.findMany({ where: { groupId: { in: groupIds } }, select: { memberType: true, memberId: true } })
    : [];
  const userIds = [...new Set([...ids("user"), ...members.filter((m) => m.memberType === "user").map((m) => m.memberId)])];
  const spIds = [...new Set([...ids("servicePrincipal"), ...members.filter((m) => m.memberType === "servicePrincipal").map((m) => m.memberId)])];
  return (
    (userIds.length ? await tx.user.count({ where: { id: { in: userIds }, disabled: false } }) : 0) +
    (spIds.length ? await tx.servicePrincipal.count({ where: { id: { in: spIds }, disabled: false } }) : 0)
  );
}
