import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { createUser } from "../services/users";
import { authorize, grantRepositoryScope, readableRepositories } from "./authorize";
import type { Principal } from "./principal";
import type { Operation } from "./roles";
import type { Scope } from "./scope";

// DESIGN §4, written out independently of lib/auth/roles.ts so a slip there fails here.
//            read  create/delete push  pull  deleteImg policies sign  assign
const TABLE: Record<string, [number, number, number, number, number, number, number, number]> = {
  Owner:          [1, 1, 1, 1, 1, 1, 0, 1],
  Contributor:    [1, 1, 1, 1, 1, 1, 0, 0],
  Reader:         [1, 0, 0, 1, 0, 0, 0, 0],
  AcrPush:        [0, 0, 1, 1, 0, 0, 0, 0],
  AcrPull:        [0, 0, 0, 1, 0, 0, 0, 0],
  AcrDelete:      [0, 0, 0, 0, 1, 0, 0, 0],
  AcrImageSigner: [0, 0, 0, 0, 0, 0, 1, 0],
};
const OPS: { op: Operation; col: number }[] = [
  { op: "read", col: 0 },
  { op: "createRegistry", col: 1 },
  { op: "deleteRegistry", col: 1 },
  { op: "push", col: 2 },
  { op: "pull", col: 3 },
  { op: "deleteImage", col: 4 },
  { op: "changePolicies", col: 5 },
  { op: "sign", col: 6 },
  { op: "assignRoles", col: 7 },
];
const LEVELS = {
  organisation: "/",
  registry: "/registries/contoso",
  repository: "/registries/contoso/repositories/team/app",
} as const;

const contosoRepo: Scope = { type: "repository", registry: "contoso", repository: "team/app" };
const contosoOther: Scope = { type: "repository", registry: "contoso", repository: "other" };
const contoso: Scope = { type: "registry", registry: "contoso" };
const fabrikamRepo: Scope = { type: "repository", registry: "fabrikam", repository: "team/app" };
const org: Scope = { type: "organisation" };

const users = new Map<string, Principal>();

before(async () => {
  await useTempDatabase();
  await db().registry.create({ data: { name: "contoso", sku: "Standard" } });
  await db().registry.create({ data: { name: "fabrikam", sku: "Standard" } });
  for (const role of Object.keys(TABLE)) {
    for (const [level, scope] of Object.entries(LEVELS)) {
      const u = await createUser(`${role.toLowerCase()}-${level}`, "password-123");
      const reg = scope === "/" ? null : await db().registry.findUnique({ where: { name: "contoso" } });
      await db().roleAssignment.create({
        data: { principalType: "user", principalId: u.id, role, scope, registryId: reg?.id ?? null },
      });
      users.set(`${role}@${level}`, { kind: "user", id: u.id, name: u.username });
    }
  }
});

describe("every role × every operation × every scope level", () => {
  for (const role of Object.keys(TABLE)) {
    for (const level of Object.keys(LEVELS) as (keyof typeof LEVELS)[]) {
      test(`${role} assigned at ${level}`, async () => {
        const p = users.get(`${role}@${level}`)!;
        for (const { op, col } of OPS) {
          const inTable = TABLE[role][col] === 1;
          // At the assigned repository: granted by any level of assignment.
          assert.equal((await authorize(p, op, contosoRepo)).allowed, inTable, `${op} on contoso/team/app`);
          // At the registry: only registry- or organisation-level assignments reach it.
          assert.equal((await authorize(p, op, contoso)).allowed, inTable && level !== "repository", `${op} on contoso`);
          // Another repository of the same registry.
          assert.equal((await authorize(p, op, contosoOther)).allowed, inTable && level !== "repository", `${op} on contoso/other`);
          // Another registry, and the organisation: only organisation-level assignments.
          assert.equal((await authorize(p, op, fabrikamRepo)).allowed, inTable && level === "organisation", `${op} on fabrikam`);
          assert.equal((await authorize(p, op, org)).allowed, inTable && level === "organisation", `${op} on organisation`);
        }
      });
    }
  }
});

describe("data-plane grants follow the same table", () => {
  const reg = async (name: string) => (await db().registry.findUnique({ where: { name } }))!;

  test("granted = asked ∩ allowed, never an error for asking too much", async () => {
    const contosoReg = await reg("contoso");
    const pull = users.get("AcrPull@registry")!;
    assert.deepEqual((await grantRepositoryScope(pull, contosoReg, "team/app", ["pull", "push"])).sort(), ["metadata_read", "pull"]);
    const push = users.get("AcrPush@repository")!;
    assert.deepEqual((await grantRepositoryScope(push, contosoReg, "team/app", ["pull", "push"])).sort(), ["metadata_read", "metadata_write", "pull", "push"]);
    assert.deepEqual(await grantRepositoryScope(push, contosoReg, "other", ["pull", "push"]), []);
    const del = users.get("AcrDelete@registry")!;
    assert.deepEqual(await grantRepositoryScope(del, contosoReg, "x", ["*"]), ["delete"]);
    const owner = users.get("Owner@organisation")!;
    assert.deepEqual((await grantRepositoryScope(owner, contosoReg, "x", ["*"])).sort(), ["*", "delete", "metadata_read", "metadata_write", "pull", "push"]);
    const signer = users.get("AcrImageSigner@organisation")!;
    assert.deepEqual(await grantRepositoryScope(signer, contosoReg, "x", ["pull", "push", "delete"]), []);
  });

  test("_catalog lists only readable repositories", async () => {
    const contosoReg = await reg("contoso");
    const names = ["other", "team/app", "zeta"];
    assert.deepEqual(await readableRepositories(users.get("AcrPull@repository")!, contosoReg, names), ["team/app"]);
    assert.deepEqual(await readableRepositories(users.get("Reader@registry")!, contosoReg, names), names);
    assert.deepEqual(await readableRepositories(users.get("AcrDelete@organisation")!, contosoReg, names), []);
    assert.deepEqual(await readableRepositories({ kind: "anonymous" }, contosoReg, names), []);
  });

  test("anonymous pull opens pull on Standard, never push, and not on Basic", async () => {
    const anon: Principal = { kind: "anonymous" };
    const std = { ...(await reg("contoso")), anonymousPullEnabled: true };
    assert.deepEqual((await grantRepositoryScope(anon, std, "any", ["pull", "push", "delete"])).sort(), ["metadata_read", "pull"]);
    const basic = { ...std, sku: "Basic" };
    assert.deepEqual(await grantRepositoryScope(anon, basic, "any", ["pull"]), []);
    const off = { ...std, anonymousPullEnabled: false };
    assert.deepEqual(await grantRepositoryScope(anon, off, "any", ["pull"]), []);
  });

  test("the admin user reaches only its own registry, with pull and push", async () => {
    const contosoReg = await reg("contoso");
    const fabrikamReg = await reg("fabrikam");
    const admin: Principal = { kind: "admin", registryId: contosoReg.id, registry: "contoso", name: "contoso", credential: 1 };
    assert.deepEqual((await grantRepositoryScope(admin, contosoReg, "a", ["pull", "push", "delete"])).sort(), ["metadata_read", "metadata_write", "pull", "push"]);
    assert.deepEqual(await grantRepositoryScope(admin, fabrikamReg, "a", ["pull"]), []);
    assert.equal((await authorize(admin, "changePolicies", contoso)).allowed, false);
    assert.equal((await authorize(admin, "push", contosoRepo)).allowed, true);
    assert.equal((await authorize(admin, "pull", fabrikamRepo)).allowed, false);
  });

  test("denials explain which roles would be needed", async () => {
    const d = await authorize(users.get("AcrPull@organisation")!, "deleteImage", contosoRepo);
    assert.equal(d.allowed, false);
    assert.match(d.reason, /Owner, Contributor, AcrDelete/);
  });
});
