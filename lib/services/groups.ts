import { db } from "../core/db";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { describeScope } from "../auth/scope";
import { recordActivity } from "./activity";
import { keepAnOwner } from "./owner-guard";

/**
 * Groups of people and service principals (as Entra ID groups for ACR, `az ad group`): a role assigned to a group
 * applies to each member. Managed by organisation Owners, like users; members are users or service principals
 * (groups do not nest, so who holds a role is always one lookup away).
 */

const ORG = { type: "organisation" } as const;
export const GROUP_NAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** `key` is what names the member in `--member-id`: the username, or the service principal's client id. */
export type GroupMemberView = { type: "user" | "servicePrincipal"; id: string; key: string; name: string; disabled: boolean };

function groupName(input: unknown): string {
  const name = String(input ?? "").trim().toLowerCase();
  if (!GROUP_NAME_RE.test(name)) throw invalid("A group name is 2–64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.", "name");
  return name;
}

async function findGroup(name: unknown) {
  const key = String(name ?? "").trim().toLowerCase();
  const g = await db().group.findUnique({ where: { name: key } });
  if (!g) throw notFound(`No group named '${key}'. List them with \`wharf ad group list\`.`, "group");
  return g;
}

/** A user (by username) or service principal (by client id or display name) to add to a group. */
async function findMember(input: unknown): Promise<{ type: "user" | "servicePrincipal"; id: string; name: string }> {
  const key = String(input ?? "").trim();
  if (!key) throw invalid("Name the member: a username, or a service principal's client id or name.", "member");
  const user = await db().user.findUnique({ where: { username: key.toLowerCase() } });
  if (user) return { type: "user", id: user.id, name: user.username };
  const sp = (await db().servicePrincipal.findUnique({ where: { clientId: key.toLowerCase() } })) ?? (await db().servicePrincipal.findFirst({ where: { displayName: key } }));
  if (sp) return { type: "servicePrincipal", id: sp.id, name: sp.displayName };
  throw notFound(`No user or service principal named '${key}'. Groups hold users and service principals (see \`wharf user list\`, \`wharf sp list\`).`, "member");
}

export async function createGroup(actor: Actor, input: { name: string; description?: string | null }) {
  await requireActor(actor, "assignRoles", ORG);
  const name = groupName(input.name);
  const description = String(input.description ?? "").trim();
  if (description.length > 256) throw invalid("The description is at most 256 characters.", "description");
  try {
    return await db().$transaction(async (tx) => {
      const g = await tx.group.create({ data: { name, description } });
      await recordActivity(tx, { actor: actorName(actor), action: "group.create", target: name });
      return { id: g.id, name: g.name, description: g.description, createdAt: g.createdAt };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A group named '${name}' already exists.`, "name");
    throw err;
  }
}

export async function listGroups(actor: Actor) {
  await requireActor(actor, "read", ORG);
  const rows = await db().group.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { members: true } } } });
  return rows.map((g) => ({ id: g.id, name: g.name, description: g.description, members: g._count.members, createdAt: g.createdAt }));
}

/** The group with its members and the roles assigned to it. */
export async function showGroup(actor: Actor, name: string) {
  await requireActor(actor, "read", ORG);
  const g = await findGroup(name);
  const [members, roles] = await Promise.all([groupMembers(g.id), db().roleAssignment.findMany({ where: { principalType: "group", principalId: g.id }, orderBy: { scope: "asc" } })]);
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    createdAt: g.createdAt,
    members,
    roles: roles.map((r) => ({ role: r.role, scope: r.scope, where: describeScope(r.scope) })),
  };
}

export async function groupMembers(groupId: string): Promise<GroupMemberView[]> {
  const rows = await db().groupMember.findMany({ where: { groupId } });
  const [users, sps] = await Promise.all([
    db().user.findMany({ where: { id: { in: rows.filter((r) => r.memberType === "user").map((r) => r.memberId) } }, select: { id: true, username: true, disabled: true } }),
    db().servicePrincipal.findMany({ where: { id: { in: rows.filter((r) => r.memberType === "servicePrincipal").map((r) => r.memberId) } }, select: { id: true, displayName: true, clientId: true, disabled: true } }),
  ]);
  return [
    ...users.map((u): GroupMemberView => ({ type: "user", id: u.id, key: u.username, name: u.username, disabled: u.disabled })),
    ...sps.map((s): GroupMemberView => ({ type: "servicePrincipal", id: s.id, key: s.clientId, name: s.displayName, disabled: s.disabled })),
  ].sort((a, b) => a.name.localeCompare(b.name));
}

/** Deletes the group, its memberships and the roles assigned to it: its members lose what only the group gave them. */
export async function deleteGroup(actor: Actor, name: string) {
  await requireActor(actor, "assignRoles", ORG);
  const g = await findGroup(name);
  await db().$transaction(async (tx) => {
    const roles = await keepAnOwner(tx, `Group ${g.name}`, async () => {
      const removed = await tx.roleAssignment.deleteMany({ where: { principalType: "group", principalId: g.id } });
      await tx.group.delete({ where: { id: g.id } });
      return removed;
    });
    await recordActivity(tx, { actor: actorName(actor), action: "group.delete", target: g.name, before: { roleAssignments: roles.count } });
  });
  return { deleted: true, name: g.name };
}

export async function addGroupMember(actor: Actor, input: { group: string; member: string }) {
  await requireActor(actor, "assignRoles", ORG);
  const g = await findGroup(input.group);
  const m = await findMember(input.member);
  try {
    await db().$transaction(async (tx) => {
      await tx.groupMember.create({ data: { groupId: g.id, memberType: m.type, memberId: m.id } });
      await recordActivity(tx, { actor: actorName(actor), action: "group.member.add", target: g.name, after: { member: m.name, type: m.type } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`${m.name} is already a member of ${g.name}.`, "member");
    throw err;
  }
  return { group: g.name, member: m.name, type: m.type, added: true };
}

export async function removeGroupMember(actor: Actor, input: { group: string; member: string }) {
  await requireActor(actor, "assignRoles", ORG);
  const g = await findGroup(input.group);
  const m = await findMember(input.member);
  const removed = await db().$transaction(async (tx) => {
    const r = await keepAnOwner(tx, `${m.name}, through group ${g.name},`, () => tx.groupMember.deleteMany({ where: { groupId: g.id, memberType: m.type, memberId: m.id } }));
    if (r.count) await recordActivity(tx, { actor: actorName(actor), action: "group.member.remove", target: g.name, before: { member: m.name, type: m.type } });
    return r.count;
  });
  if (!removed) throw notFound(`${m.name} is not a member of ${g.name}.`, "member");
  return { group: g.name, member: m.name, removed: true };
}

/** Memberships go with the user or service principal they name (no foreign key: a member is one of two tables). */
export async function forgetMemberships(tx: { groupMember: { deleteMany: (a: { where: { memberType: string; memberId: string } }) => Promise<unknown> } }, type: "user" | "servicePrincipal", id: string) {
  await tx.groupMember.deleteMany({ where: { memberType: type, memberId: id } });
}
