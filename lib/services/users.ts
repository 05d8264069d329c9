import { db } from "../core/db";
import { config } from "../core/context";
import { hashPassword, randomSecret } from "../auth/password";
import type { UserInfo } from "../auth/credentials";
import { recordActivity } from "./activity";
import { forgetMemberships } from "./groups";
import { keepAnOwner } from "./owner-guard";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The bootstrap administrator is Owner of the organisation. */
async function makeOwner(userId: string): Promise<void> {
  await db().roleAssignment.create({
    data: { principalType: "user", principalId: userId, role: "Owner", scope: "/", createdBy: "bootstrap" },
  });
}

export async function listUsers() {
  const rows = await db().user.findMany({ orderBy: { username: "asc" } });
  return rows.map((u) => ({ id: u.id, username: u.username, disabled: u.disabled, createdAt: u.createdAt }));
}

export async function createUser(username: string, password: string): Promise<UserInfo> {
  const name = username.toLowerCase();
  if (!USERNAME_RE.test(name)) throw new Error("Username must be 2–64 characters: lower-case letters, digits, '.', '_' or '-'.");
  if (password.length < 8) throw new Error("Password must be at least 8 characters.");
  const u = await db().user.create({ data: { username: name, passwordHash: await hashPassword(password) } });
  return { id: u.id, username: u.username };
}

/**
 * First start: create `admin` with WHARF_ADMIN_PASSWORD, or a generated password
 * printed once. Returns the generated password (null when none was generated or
 * the user already exists).
 */
export async function ensureBootstrapAdmin(log: (line: string) => void = console.log): Promise<string | null> {
  const existing = await db().user.findUnique({ where: { username: "admin" } });
  if (existing) {
    // Databases from before role assignments existed: keep someone in charge.
    if (!(await db().roleAssignment.count({ where: { role: "Owner", scope: "/" } }))) await makeOwner(existing.id);
    return null;
  }
  const given = config().WHARF_ADMIN_PASSWORD;
  const password = given ?? randomSecret(12);
  const admin = await createUser("admin", password);
  await makeOwner(admin.id);
  if (given) {
    log("Created user 'admin' with the password from WHARF_ADMIN_PASSWORD.");
    return null;
  }
  log("");
  log("  Created user 'admin'. Its password is shown only this once:");
  log(`    ${password}`);
  log("  Sign in and keep it somewhere safe.");
  log("");
  return password;
}

// ---- Managed from the portal (Owner at organisation scope) ----------------------------

const ORG = { type: "organisation" } as const;

async function findUserOrThrow(username: string) {
  const name = String(username ?? "").trim().toLowerCase();
  const user = await db().user.findUnique({ where: { username: name } });
  if (!user) throw notFound(`No user named '${name}'.`);
  return user;
}

/** Creates a user; without a password one is generated and returned once. */
export async function createUserAs(actor: Actor, input: { username: string; password?: string | null }) {
  await requireActor(actor, "assignRoles", ORG);
  const name = String(input.username ?? "").trim().toLowerCase();
  if (!USERNAME_RE.test(name)) throw invalid("Username must be 2–64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.", "username");
  const generated = !input.password;
  const password = input.password || randomSecret(12);
  if (password.length < 8) throw invalid("Password must be at least 8 characters.", "password");
  if (await db().user.findUnique({ where: { username: name } })) throw conflict(`A user named '${name}' already exists.`, "username");
  const passwordHash = await hashPassword(password);
  try {
    return await db().$transaction(async (tx) => {
      const u = await tx.user.create({ data: { username: name, passwordHash } });
      await recordActivity(tx, { actor: actorName(actor), action: "user.create", target: name });
      return { id: u.id, username: u.username, password: generated ? password : null };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user named '${name}' already exists.`, "username");
    throw err;
  }
}

/** A new generated password, shown once; the old one stops working at once. */
export async function resetUserPassword(actor: Actor, username: string): Promise<{ username: string; password: string }> {
  await requireActor(actor, "assignRoles", ORG);
  const user = await findUserOrThrow(username);
  const password = randomSecret(12);
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await recordActivity(tx, { actor: actorName(actor), action: "user.resetPassword", target: user.username });
  });
  return { username: user.username, password };
}

/** Disabled users cannot sign in, log in with docker, or keep using a portal session. */
export async function setUserDisabled(actor: Actor, username: string, disabled: boolean): Promise<{ username: string; disabled: boolean }> {
  await requireActor(actor, "assignRoles", ORG);
  const user = await findUserOrThrow(username);
  if (disabled && actor.kind === "user" && actor.id === user.id) throw invalid("You cannot disable your own account; ask another Owner.", "username");
  await db().$transaction(async (tx) => {
    await keepAnOwner(tx, user.username, () => tx.user.update({ where: { id: user.id }, data: { disabled } }));
    await recordActivity(tx, { actor: actorName(actor), action: disabled ? "user.disable" : "user.enable", target: user.username });
  });
  return { username: user.username, disabled };
}

/** Deletes the user and its role assignments; its sessions stop working with it. Not yourself, not the last Owner. */
export async function deleteUser(actor: Actor, username: string): Promise<{ username: string; deleted: true }> {
  await requireActor(actor, "assignRoles", ORG);
  const user = await findUserOrThrow(username);
  if (actor.kind === "user" && actor.id === user.id) throw invalid("You cannot delete your own account; ask another Owner.", "username");
  await db().$transaction(async (tx) => {
    const roles = await keepAnOwner(tx, user.username, async () => {
      const removed = await tx.roleAssignment.deleteMany({ where: { principalType: "user", principalId: user.id } });
      await forgetMemberships(tx, "user", user.id);
      await tx.user.delete({ where: { id: user.id } });
      return removed;
    });
    await recordActivity(tx, { actor: actorName(actor), action: "user.delete", target: user.username, before: { roleAssignments: roles.count } });
  });
  return { username: user.username, deleted: true };
}
