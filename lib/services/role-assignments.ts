import { db } from "../core/db";
import { recordActivity } from "./activity";
import { keepAnOwner } from "./owner-guard";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { parseRole, type Role } from "../auth/roles";
import { formatScope, parseScope, type Scope } from "../auth/scope";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { loadRegistry } from "./load-registry";

/** The roles a client may name (`--role`). */
export { ROLES } from "../auth/roles";

export type Assignee = { principalType: "user" | "servicePrincipal" | "group"; principalId: string; name: string };

/**
 * `--assignee` is a username, a service principal's client id or display name, or a group (`group:<name>`, or its
 * bare name when no user or service principal has it).
 */
export async function resolveAssignee(assignee: string): Promise<Assignee> {
  const key = assignee.trim();
  if (!key) throw invalid("Name the assignee: a username, a service principal's client id, or group:<name>.", "assignee");
  if (key.toLowerCase().startsWith("group:")) return groupAssignee(key.slice(6).trim(), key);
  const user = await db().user.findUnique({ where: { username: key.toLowerCase() } });
  if (user) return { principalType: "user", principalId: user.id, name: user.username };
  const sp =
    (await db().servicePrincipal.findUnique({ where: { clientId: key.toLowerCase() } })) ??
    (await db().servicePrincipal.findFirst({ where: { displayName: key } }));
  if (sp) return { principalType: "servicePrincipal", principalId: sp.id, name: sp.displayName };
  return groupAssignee(key, key);
}

async function groupAssignee(name: string, asked: string): Promise<Assignee> {
  const g = await db().group.findUnique({ where: { name: name.toLowerCase() } });
  if (g) return { principalType: "group", principalId: g.id, name: `group:${g.name}` };
  throw notFound(`No user, service principal or group named '${asked}'. List them with \`wharf user list\`, \`wharf sp list\` and \`wharf ad group list\`.`, "assignee");
}

function scopeOf(input: string): Scope {
  return parseScope(input);
}

/** The registry (and resource group) a scope names must exist. */
async function checkScopeExists(scope: Scope): Promise<string | null> {
  if (scope.type === "resourceGroup") {
    if (!(await db().resourceGroup.findUnique({ where: { name: scope.resourceGroup } }))) {
      throw notFound(`Resource group '${scope.resourceGroup}' does not exist.`);
    }
    return null;
  }
  if (scope.type === "registry" || scope.type === "repository") {
    return (await loadRegistry(scope.registry)).id;
  }
  return null;
}

function roleOf(input: string): Role {
  const role = parseRole(input);
  if (!role) throw invalid(`Unknown role '${input}'. Roles: Owner, Contributor, Reader, AcrPush, AcrPull, AcrDelete, AcrImageSigner.`, "role");
  return role;
}

export async function createRoleAssignment(actor: Actor, input: { assignee: string; role: string; scope: string }) {
  const scope = scopeOf(input.scope);
  await requireActor(actor, "assignRoles", scope);
  const role = roleOf(input.role);
  const who = await resolveAssignee(input.assignee);
  const registryId = await checkScopeExists(scope);
  const scopeText = formatScope(scope);
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.roleAssignment.create({
        data: { principalType: who.principalType, principalId: who.principalId, role, scope: scopeText, registryId, createdBy: actorName(actor) },
      });
      await recordActivity(tx, {
        actor: actorName(actor),
        action: "roleAssignment.create",
        target: scopeText,
        registryId,
        after: { assignee: who.name, role },
      });
      return { id: row.id, assignee: who.name, principalType: who.principalType, role, scope: scopeText, createdAt: row.createdAt };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`${who.name} already has ${role} at ${scopeText}.`);
    throw err;
  }
}

export async function deleteRoleAssignment(actor: Actor, input: { assignee: string; role: string; scope: string }) {
  const scope = scopeOf(input.scope);
  await requireActor(actor, "assignRoles", scope);
  const role = roleOf(input.role);
  const who = await resolveAssignee(input.assignee);
  const scopeText = formatScope(scope);
  return db().$transaction(async (tx) => {
    const row = await tx.roleAssignment.findUnique({
      where: { principalType_principalId_role_scope: { principalType: who.principalType, principalId: who.principalId, role, scope: scopeText } },
    });
    if (!row) throw notFound(`${who.name} has no ${role} assignment at ${scopeText}. Inherited roles are removed where they are assigned.`);
    const remove = () => tx.roleAssignment.delete({ where: { id: row.id } });
    await (role === "Owner" && scopeText === "/" ? keepAnOwner(tx, who.name, remove) : remove());
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "roleAssignment.delete",
      target: scopeText,
      registryId: row.registryId,
      before: { assignee: who.name, role },
    });
    return { deleted: true };
  });
}

export type RoleAssignmentView = {
  id: string;
  assignee: string;
  principalType: "user" | "servicePrincipal" | "group";
  principalId: string;
  role: string;
  scope: string;
  createdAt: Date;
};

/** Assignments at or below `scope` (all when omitted), optionally for one assignee. */
export async function listRoleAssignments(actor: Actor, input: { scope?: string; assignee?: string } = {}): Promise<RoleAssignmentView[]> {
  const scope = scopeOf(input.scope ?? "/");
  await requireActor(actor, "read", scope);
  const scopeText = formatScope(scope);
  const who = input.assignee ? await resolveAssignee(input.assignee) : null;
  const rows = await db().roleAssignment.findMany({
    where: {
      ...(scopeText === "/" ? {} : { OR: [{ scope: scopeText }, { scope: { startsWith: `${scopeText}/` } }] }),
      ...(who ? { principalType: who.principalType, principalId: who.principalId } : {}),
    },
    orderBy: [{ scope: "asc" }, { role: "asc" }],
  });
  const userIds = rows.filter((r) => r.principalType === "user").map((r) => r.principalId);
  const spIds = rows.filter((r) => r.principalType === "servicePrincipal").map((r) => r.principalId);
  const groupIds = rows.filter((r) => r.principalType === "group").map((r) => r.principalId);
  const [users, sps, groups] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true } }),
    db().servicePrincipal.findMany({ where: { id: { in: spIds } }, select: { id: true, displayName: true } }),
    db().group.findMany({ where: { id: { in: groupIds } }, select: { id: true, name: true } }),
  ]);
  const names = new Map<string, string>([
    ...users.map((u) => [u.id, u.username] as const),
    ...sps.map((s) => [s.id, s.displayName] as const),
    ...groups.map((g) => [g.id, `group:${g.name}`] as const),
  ]);
  return rows.map((r) => ({
    id: r.id,
    assignee: names.get(r.principalId) ?? "(deleted)",
    principalType: r.principalType as RoleAssignmentView["principalType"],
    principalId: r.principalId,
    role: r.role,
    scope: r.scope,
    createdAt: r.createdAt,
  }));
}
