import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { createUser } from "./users";
import { WharfError } from "../core/errors";
import { grantRepositoryScope } from "../auth/authorize";
import { authenticateBasic, principalFromSubject, subjectOf, type Principal } from "../auth/principal";
import { networkDenial } from "../auth/network";
import { LOCAL_OPERATOR } from "../auth/actor";
import { createRoleAssignment, deleteRoleAssignment, listRoleAssignments } from "./role-assignments";
import { createScopeMap, deleteScopeMap, listScopeMaps, updateScopeMap } from "./scope-maps";
import { createToken, generateTokenPassword, updateToken } from "./tokens";
import { updateRegistry } from "./registry-settings";
import { renewAdminPassword } from "./registry-credentials";
import { createServicePrincipal } from "./service-principals";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const reg = async (name: string) => (await db().registry.findUnique({ where: { name } }))!;
let alice: Principal;

before(async () => {
  await useTempDatabase();
  await db().registry.create({ data: { name: "contoso", sku: "Premium" } });
  await db().registry.create({ data: { name: "fabrikam", sku: "Premium" } });
  await db().registry.create({ data: { name: "basicreg", sku: "Basic" } });
  const a = await createUser("alice", "alice-password");
  alice = { kind: "user", id: a.id, name: "alice" };
  const owner = await createUser("admin", "admin-password");
  await db().roleAssignment.create({ data: { principalType: "user", principalId: owner.id, role: "Owner", scope: "/" } });
});

describe("repository-scoped tokens", () => {
  let readonly: { username: string; passwords: { value: string }[] };

  test("a token made from repositories pulls only those, and reads their tags", async () => {
    readonly = await createToken(LOCAL_OPERATOR, {
      registry: "contoso",
      name: "readonlypull",
      repositories: [{ repository: "aspnetapp", actions: ["content/read", "metadata/read"] }],
    });
    assert.equal(readonly.passwords.length, 2);
    const p = await authenticateBasic("readonlypull", readonly.passwords[0].value);
    assert.equal(p?.kind, "token");
    const c = await reg("contoso");
    assert.deepEqual((await grantRepositoryScope(p!, c, "aspnetapp", ["pull", "push"])).sort(), ["metadata_read", "pull"]);
    assert.deepEqual(await grantRepositoryScope(p!, c, "other", ["pull"]), []);
    // A token for contoso never reaches fabrikam, even for a repository of the same name.
    assert.deepEqual(await grantRepositoryScope(p!, await reg("fabrikam"), "aspnetapp", ["pull"]), []);
    const maps = await listScopeMaps(LOCAL_OPERATOR, "contoso");
    assert.ok(maps.some((m) => m.name === "readonlypull-scope-map" && m.tokens.includes("readonlypull")));
  });

  test("wildcards and built-in scope maps", async () => {
    await createScopeMap(LOCAL_OPERATOR, {
      registry: "contoso",
      name: "team-push",
      actions: ["repositories/team/*/content/read", "repositories/team/*/content/write"],
    });
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "teamci", scopeMap: "team-push" });
    const p = (await authenticateBasic("teamci", t.passwords[1].value))!;
    const c = await reg("contoso");
    assert.deepEqual((await grantRepositoryScope(p, c, "team/api", ["pull", "push"])).sort(), ["pull", "push"]);
    assert.deepEqual(await grantRepositoryScope(p, c, "teamx", ["pull"]), []);
    const all = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "puller", scopeMap: "_repositories_pull" });
    const pp = (await authenticateBasic("puller", all.passwords[0].value))!;
    assert.deepEqual(await grantRepositoryScope(pp, c, "anything/at/all", ["pull", "push", "delete"]), ["pull"]);
    const adm = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "admintok", scopeMap: "_repositories_admin" });
    const pa = (await authenticateBasic("admintok", adm.passwords[0].value))!;
    assert.deepEqual((await grantRepositoryScope(pa, c, "x", ["*"])).sort(), ["*", "delete", "metadata_read", "metadata_write", "pull", "push"]);
  });

  test("a disabled token stops logging in at once; enabling restores it", async () => {
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "readonlypull", status: "disabled" });
    assert.equal(await authenticateBasic("readonlypull", readonly.passwords[0].value), null);
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "readonlypull", status: "enabled" });
    assert.ok(await authenticateBasic("readonlypull", readonly.passwords[0].value));
  });

  test("rotating password 1 retires the old value; password 2 keeps working", async () => {
    const fresh = await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "readonlypull", password: 1 });
    assert.equal(await authenticateBasic("readonlypull", readonly.passwords[0].value), null);
    assert.ok(await authenticateBasic("readonlypull", fresh.passwords[0].value));
    assert.ok(await authenticateBasic("readonlypull", readonly.passwords[1].value));
  });

  test("an expired password is refused", async () => {
    const soon = await generateTokenPassword(LOCAL_OPERATOR, {
      registry: "contoso",
      name: "teamci",
      password: 2,
      expiry: new Date(Date.now() + 60_000),
    });
    assert.ok(await authenticateBasic("teamci", soon.passwords[0].value));
    await db().registryToken.updateMany({ where: { name: "teamci" }, data: { password2Expiry: new Date(Date.now() - 1000) } });
    assert.equal(await authenticateBasic("teamci", soon.passwords[0].value), null);
    await assert.rejects(
      generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "teamci", password: 1, expiry: new Date(Date.now() - 1) }),
      code("INVALID"),
    );
  });

  test("bad input is refused with a clear error and changes nothing", async () => {
    await assert.rejects(createToken(LOCAL_OPERATOR, { registry: "contoso", name: "bad name!", scopeMap: "_repositories_pull" }), code("INVALID"));
    await assert.rejects(createToken(LOCAL_OPERATOR, { registry: "contoso", name: "teamci", scopeMap: "_repositories_pull" }), code("CONFLICT"));
    await assert.rejects(createToken(LOCAL_OPERATOR, { registry: "nosuchreg", name: "abcde", scopeMap: "_repositories_pull" }), code("NOT_FOUND"));
    await assert.rejects(
      createScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: "broken", actions: ["repositories/UPPER/content/read"] }),
      code("INVALID"),
    );
    await assert.rejects(updateScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: "_repositories_pull", addActions: ["repositories/x/content/write"] }), code("INVALID"));
    await assert.rejects(deleteScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: "team-push" }), code("CONFLICT"));
    assert.equal(await db().registryToken.count({ where: { name: "abcde" } }), 0);
  });

  test("a subject reloads its principal only while it may still log in", async () => {
    const p = (await authenticateBasic("admintok", (await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "admintok", password: 1 })).passwords[0].value))!;
    assert.equal((await principalFromSubject(subjectOf(p)))?.kind, "token");
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "admintok", status: "disabled" });
    assert.equal(await principalFromSubject(subjectOf(p)), null);
  });
});

describe("role assignments", () => {
  test("only an Owner may assign roles; the grant takes effect at once and goes with removal", async () => {
    await assert.rejects(createRoleAssignment(alice, { assignee: "alice", role: "Owner", scope: "/" }), code("DENIED"));
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "acrpull", scope: "/registries/contoso/repositories/app" });
    const c = await reg("contoso");
    assert.deepEqual((await grantRepositoryScope(alice, c, "app", ["pull"])).sort(), ["metadata_read", "pull"]);
    await assert.rejects(createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "AcrPull", scope: "/registries/contoso/repositories/app" }), code("CONFLICT"));
    const listed = await listRoleAssignments(LOCAL_OPERATOR, { scope: "/registries/contoso" });
    assert.ok(listed.some((r) => r.assignee === "alice" && r.role === "AcrPull"));
    await deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "AcrPull", scope: "/registries/contoso/repositories/app" });
    assert.deepEqual(await grantRepositoryScope(alice, c, "app", ["pull"]), []);
  });

  test("bad roles, scopes and assignees are explained", async () => {
    await assert.rejects(createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "Boss", scope: "/" }), /Unknown role 'Boss'/);
    await assert.rejects(createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "Reader", scope: "/things" }), /Unrecognised scope/);
    await assert.rejects(createRoleAssignment(LOCAL_OPERATOR, { assignee: "nobody", role: "Reader", scope: "/" }), code("NOT_FOUND"));
    await assert.rejects(createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "Reader", scope: "/registries/nosuchreg" }), code("NOT_FOUND"));
  });

  test("the last organisation Owner cannot be removed", async () => {
    await assert.rejects(deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "admin", role: "Owner", scope: "/" }), code("CONFLICT"));
  });

  test("service principals log in with client id and secret, and get roles like users", async () => {
    const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci-pipeline" });
    const p = await authenticateBasic(sp.clientId, sp.secret);
    assert.equal(p?.kind, "servicePrincipal");
    assert.equal(await authenticateBasic(sp.clientId, "wrong"), null);
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: sp.clientId, role: "AcrPush", scope: "/registries/fabrikam" });
    assert.deepEqual((await grantRepositoryScope(p!, await reg("fabrikam"), "svc", ["push"])).sort(), ["metadata_write", "push"]);
    assert.deepEqual(await grantRepositoryScope(p!, await reg("contoso"), "svc", ["push"]), []);
  });
});

describe("registry settings", () => {
  test("anonymous pull is refused on Basic with the reason", async () => {
    await assert.rejects(updateRegistry(LOCAL_OPERATOR, "basicreg", { anonymousPullEnabled: true }), /Standard or Premium/);
    assert.equal((await reg("basicreg")).anonymousPullEnabled, false);
  });

  test("a SKU change is refused while the registry uses a feature the new SKU lacks", async () => {
    await updateRegistry(LOCAL_OPERATOR, "fabrikam", { networkDefaultAction: "Deny", networkRules: ["203.0.113.0/24"] });
    await assert.rejects(updateRegistry(LOCAL_OPERATOR, "fabrikam", { sku: "Standard" }), /network rules/);
    await updateRegistry(LOCAL_OPERATOR, "fabrikam", { networkDefaultAction: "Allow", networkRules: [] });
    const { registry } = await updateRegistry(LOCAL_OPERATOR, "fabrikam", { sku: "Standard", anonymousPullEnabled: true });
    assert.equal(registry.sku, "Standard");
    await assert.rejects(updateRegistry(LOCAL_OPERATOR, "fabrikam", { sku: "Basic" }), /anonymous pull/);
    await assert.rejects(updateRegistry(LOCAL_OPERATOR, "fabrikam", { networkRules: ["10.0.0.0/8"] }), /Premium/);
    await assert.rejects(updateRegistry(LOCAL_OPERATOR, "contoso", { networkRules: ["10.0.0.0/33"] }), /not an IPv4 or IPv6/);
  });

  test("the admin user: off by default, passwords shown once, renewing retires the old one", async () => {
    const { passwords } = await updateRegistry(LOCAL_OPERATOR, "contoso", { adminUserEnabled: true });
    assert.equal(passwords.length, 2);
    const p = await authenticateBasic("contoso", passwords[0].value);
    assert.equal(p?.kind, "admin");
    const renewed = await renewAdminPassword(LOCAL_OPERATOR, "contoso", 1);
    assert.equal(await authenticateBasic("contoso", passwords[0].value), null);
    assert.ok(await authenticateBasic("contoso", renewed.passwords[0].value));
    await updateRegistry(LOCAL_OPERATOR, "contoso", { adminUserEnabled: false });
    assert.equal(await authenticateBasic("contoso", renewed.passwords[0].value), null);
  });

  test("a Reader cannot change settings", async () => {
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "alice", role: "Reader", scope: "/registries/contoso" });
    await assert.rejects(updateRegistry(alice, "contoso", { anonymousPullEnabled: true }), code("DENIED"));
    assert.equal((await reg("contoso")).anonymousPullEnabled, false);
  });
});

describe("network rules", () => {
  const r = (over: object) => ({ name: "contoso", publicNetworkAccess: "Enabled", networkDefaultAction: "Allow", networkRules: "[]", ...over });
  test("allow by default; deny outside the allowed ranges, naming the rule but not the ranges", () => {
    assert.equal(networkDenial(r({}), "198.51.100.7"), null);
    const deny = r({ networkDefaultAction: "Deny", networkRules: JSON.stringify(["203.0.113.0/24", "2001:db8::/32"]) });
    assert.equal(networkDenial(deny, "203.0.113.9"), null);
    assert.equal(networkDenial(deny, "::ffff:203.0.113.9"), null);
    assert.equal(networkDenial(deny, "2001:db8::1"), null);
    const refusal = networkDenial(deny, "198.51.100.7") ?? "";
    assert.match(refusal, /198\.51\.100\.7 is not allowed to reach registry .*ask the registry's owner/);
    assert.doesNotMatch(refusal, /203\.0\.113/, "the allow-list is not shown to callers");
    assert.match(networkDenial(r({ publicNetworkAccess: "Disabled" }), "127.0.0.1") ?? "", /public access Disabled/);
  });
});
