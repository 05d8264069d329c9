import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import type { Principal } from "../auth/principal";
import { LOCAL_OPERATOR } from "../auth/actor";
import { createServicePrincipal, deleteServicePrincipal, setServicePrincipalDisabled } from "./service-principals";
import { createUser, deleteUser, setUserDisabled } from "./users";
import { addGroupMember, createGroup, deleteGroup, removeGroupMember } from "./groups";
import { createRoleAssignment, deleteRoleAssignment } from "./role-assignments";

/** Deleting principals against a real database: assignments go with them; nobody deletes themselves or the last Owner. */

let owner: Extract<Principal, { kind: "user" }>;
const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const ownerOf = (principalType: string, principalId: string) =>
  db().roleAssignment.create({ data: { principalType, principalId, role: "Owner", scope: "/" } });

before(async () => {
  await useTempDatabase();
  const u = await createUser("lead", "lead-password");
  await ownerOf("user", u.id);
  owner = { kind: "user", id: u.id, name: "lead" };
});

describe("deleteUser", () => {
  test("removes the user and its role assignments, and records who did it", async () => {
    const u = await createUser("leaver", "leaver-password");
    await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "AcrPull", scope: "/registries/x" } });
    assert.deepEqual(await deleteUser(owner, "leaver"), { username: "leaver", deleted: true });
    assert.equal(await db().user.count({ where: { username: "leaver" } }), 0);
    assert.equal(await db().roleAssignment.count({ where: { principalId: u.id } }), 0);
    const entry = await db().activityLog.findFirstOrThrow({ where: { action: "user.delete", target: "leaver" } });
    assert.equal(entry.actor, "lead");
  });

  test("refuses your own account, and the organisation's last Owner whoever asks; nothing is deleted", async () => {
    await assert.rejects(deleteUser(owner, "lead"), (e) => code("INVALID")(e) && /another Owner/.test((e as Error).message));
    // The local operator (the CLI on the server) may delete anyone, but not the only Owner.
    await assert.rejects(deleteUser(LOCAL_OPERATOR, "lead"), (e) => code("CONFLICT")(e) && /last Owner/.test((e as Error).message));
    assert.equal(await db().user.count({ where: { username: "lead" } }), 1);
    assert.equal(await db().roleAssignment.count({ where: { principalId: owner.id, role: "Owner" } }), 1);
  });

  test("a service principal that is one of two Owners can be deleted; the last one cannot", async () => {
    const sp = await createServicePrincipal(owner, { displayName: "ops-bot" });
    const row = await db().servicePrincipal.findFirstOrThrow({ where: { clientId: sp.clientId } });
    await ownerOf("servicePrincipal", row.id);
    await deleteServicePrincipal(owner, sp.clientId);
    assert.equal(await db().roleAssignment.count({ where: { principalId: row.id } }), 0);

    const last = await createServicePrincipal(owner, { displayName: "last-bot" });
    const lastRow = await db().servicePrincipal.findFirstOrThrow({ where: { clientId: last.clientId } });
    await ownerOf("servicePrincipal", lastRow.id);
    await db().roleAssignment.deleteMany({ where: { principalId: owner.id } });
    await assert.rejects(deleteServicePrincipal(LOCAL_OPERATOR, last.clientId), (e) => code("CONFLICT")(e) && /last Owner/.test((e as Error).message));
    assert.equal(await db().servicePrincipal.count({ where: { id: lastRow.id } }), 1, "still there");
  });
});

describe("disabling", () => {
  test("the organisation's only Owner cannot be disabled either (nobody could assign roles after); another Owner can", async () => {
    const solo = await createUser("solo-owner", "solo-password");
    const bot = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "solo-bot" });
    const botRow = await db().servicePrincipal.findFirstOrThrow({ where: { clientId: bot.clientId } });
    await db().roleAssignment.deleteMany({ where: { role: "Owner", scope: "/" } });
    await ownerOf("user", solo.id);
    await assert.rejects(setUserDisabled(LOCAL_OPERATOR, "solo-owner", true), (e) => code("CONFLICT")(e) && /last Owner/.test((e as Error).message));
    assert.equal((await db().user.findUniqueOrThrow({ where: { id: solo.id } })).disabled, false, "still enabled");

    await ownerOf("servicePrincipal", botRow.id);
    assert.deepEqual(await setUserDisabled(LOCAL_OPERATOR, "solo-owner", true), { username: "solo-owner", disabled: true });
    await db().roleAssignment.deleteMany({ where: { principalId: solo.id } });
    await assert.rejects(setServicePrincipalDisabled(LOCAL_OPERATOR, bot.clientId, true), (e) => code("CONFLICT")(e) && /last Owner/.test((e as Error).message));
    // Enabling is never refused.
    assert.equal((await setUserDisabled(LOCAL_OPERATOR, "solo-owner", false)).disabled, false);
  });
});

describe("Owner through a group", () => {
  const lastOwner = (e: unknown) => code("CONFLICT")(e) && /last Owner/.test((e as Error).message);

  test("the group's last enabled member cannot leave it, be deleted or disabled, nor the group be deleted", async () => {
    await db().roleAssignment.deleteMany({ where: { role: "Owner", scope: "/" } });
    await createUser("grace", "grace-password");
    await createUser("heidi", "heidi-password");
    await createGroup(LOCAL_OPERATOR, { name: "platform-admins" });
    await addGroupMember(LOCAL_OPERATOR, { group: "platform-admins", member: "grace" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "group:platform-admins", role: "Owner", scope: "/" });

    await assert.rejects(removeGroupMember(LOCAL_OPERATOR, { group: "platform-admins", member: "grace" }), lastOwner);
    await assert.rejects(deleteGroup(LOCAL_OPERATOR, "platform-admins"), lastOwner);
    await assert.rejects(deleteUser(LOCAL_OPERATOR, "grace"), lastOwner);
    await assert.rejects(setUserDisabled(LOCAL_OPERATOR, "grace", true), lastOwner);
    await assert.rejects(deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "group:platform-admins", role: "Owner", scope: "/" }), lastOwner);
    assert.equal(await db().groupMember.count(), 1, "nothing was removed");
    assert.equal(await db().roleAssignment.count({ where: { role: "Owner", scope: "/" } }), 1);

    // A second member makes the first free to go; a disabled one does not count.
    await addGroupMember(LOCAL_OPERATOR, { group: "platform-admins", member: "heidi" });
    await setUserDisabled(LOCAL_OPERATOR, "heidi", true);
    await assert.rejects(removeGroupMember(LOCAL_OPERATOR, { group: "platform-admins", member: "grace" }), lastOwner);
    await setUserDisabled(LOCAL_OPERATOR, "heidi", false);
    await removeGroupMember(LOCAL_OPERATOR, { group: "platform-admins", member: "grace" });
    // A direct Owner lets the group go.
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "grace", role: "Owner", scope: "/" });
    await deleteGroup(LOCAL_OPERATOR, "platform-admins");
    assert.equal(await db().roleAssignment.count({ where: { role: "Owner", scope: "/" } }), 1);
  });
});
