import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import type { Principal } from "../auth/principal";
import { createUser, createUserAs, resetUserPassword, setUserDisabled } from "./users";
import { checkUserPassword } from "../auth/credentials";
import { checkAccess, roleGrid, searchPrincipals } from "./role-grid";
import { createRoleAssignment } from "./role-assignments";
import { createServicePrincipal } from "./service-principals";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
let owner: Principal;
let regOwner: Principal;
let reader: Principal;

before(async () => {
  await useTempDatabase();
  const rg = await db().resourceGroup.create({ data: { name: "prod" } });
  await db().registry.create({ data: { name: "contoso", resourceGroupId: rg.id } });
  const mk = async (n: string) => ({ kind: "user" as const, id: (await createUser(n, `${n}-password`)).id, name: n });
  owner = await mk("owner");
  regOwner = await mk("regowner");
  reader = await mk("reader");
  const id = (p: Principal) => (p.kind === "user" ? p.id : "");
  await db().roleAssignment.createMany({
    data: [
      { principalType: "user", principalId: id(owner), role: "Owner", scope: "/" },
      { principalType: "user", principalId: id(regOwner), role: "Owner", scope: "/registries/contoso" },
      { principalType: "user", principalId: id(reader), role: "Reader", scope: "/resourceGroups/prod" },
    ],
  });
});

describe("role grid", () => {
  test("direct assignments at the scope, inherited ones marked with where they come from", async () => {
    await createRoleAssignment(regOwner, { assignee: "reader", role: "AcrPull", scope: "/registries/contoso/repositories/app" });
    const grid = await roleGrid(reader, "/registries/contoso/repositories/app");
    const row = (n: string) => grid.rows.find((r) => r.principal.name === n)!;
    assert.deepEqual(row("reader").direct, ["AcrPull"]);
    assert.deepEqual(row("reader").inherited, [{ role: "Reader", scope: "/resourceGroups/prod", from: "resource group prod" }]);
    assert.deepEqual(row("owner").inherited.map((i) => i.from), ["the organisation"]);
    assert.deepEqual(row("regowner").inherited.map((i) => i.from), ["registry contoso"]);
    assert.equal(grid.canEdit, false, "a Reader sees the grid but cannot change it");
    assert.equal((await roleGrid(regOwner, "/registries/contoso")).canEdit, true);
  });

  test("only an Owner at the scope may assign, and the principal picker follows the same rule", async () => {
    await assert.rejects(createRoleAssignment(reader, { assignee: "reader", role: "Owner", scope: "/registries/contoso" }), code("DENIED"));
    await assert.rejects(searchPrincipals(reader, { scope: "/registries/contoso" }), code("DENIED"));
    await assert.rejects(roleGrid(regOwner, "/"), code("DENIED"));
    await createServicePrincipal(owner, { displayName: "ci-pipeline" });
    const found = await searchPrincipals(regOwner, { scope: "/registries/contoso", query: "ci" });
    assert.deepEqual(found.map((p) => [p.type, p.name]), [["servicePrincipal", "ci-pipeline"]]);
    await assert.rejects(roleGrid(owner, "/registries/NOPE!"), code("INVALID"));
  });

  test("check access explains each permission by its assignment", async () => {
    const c = await checkAccess(owner, { assignee: "reader", scope: "/registries/contoso/repositories/app" });
    const op = (o: string) => c.operations.find((x) => x.operation === o)!;
    assert.deepEqual(op("pull").via.map((v) => v.role).sort(), ["AcrPull", "Reader"]);
    assert.deepEqual(op("read").via, [{ role: "Reader", from: "resource group prod" }]);
    assert.equal(op("push").allowed, false);
    assert.deepEqual(c.dataActions, ["metadata_read", "pull"]);
    await assert.rejects(checkAccess(owner, { assignee: "ghost", scope: "/registries/contoso" }), code("NOT_FOUND"));
  });
});

describe("users managed from the portal", () => {
  test("an organisation Owner creates, resets and disables; others are refused", async () => {
    await assert.rejects(createUserAs(regOwner, { username: "bob" }), code("DENIED"));
    await assert.rejects(createUserAs(owner, { username: "Bad Name" }), (e) => code("INVALID")(e) && (e as WharfError).field === "username");
    await assert.rejects(createUserAs(owner, { username: "bob", password: "short" }), (e) => code("INVALID")(e) && (e as WharfError).field === "password");
    const bob = await createUserAs(owner, { username: "bob" });
    assert.ok(bob.password && bob.password.length >= 12, "a generated password is returned once");
    await assert.rejects(createUserAs(owner, { username: "bob", password: "long-enough" }), code("CONFLICT"));
    assert.ok(await checkUserPassword("bob", bob.password!));
    const reset = await resetUserPassword(owner, "bob");
    assert.equal(await checkUserPassword("bob", bob.password!), null);
    assert.ok(await checkUserPassword("bob", reset.password));
    await assert.rejects(resetUserPassword(reader, "bob"), code("DENIED"));
    await setUserDisabled(owner, "bob", true);
    assert.equal(await checkUserPassword("bob", reset.password), null);
    await assert.rejects(setUserDisabled(owner, "owner", true), code("INVALID"));
    await assert.rejects(setUserDisabled(owner, "nobody-here", true), code("NOT_FOUND"));
  });
});
