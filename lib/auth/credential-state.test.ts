import { before, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { config, context, startContext } from "../core/context";
import { db } from "../core/db";
import { changeVersion } from "../registry/change-feed";
import { LOCAL_OPERATOR } from "./actor";
import { credentialState, forgetCredentialState, loadCredentialState } from "./credential-state";
import { checkUserPassword } from "./credentials";
import { createUser, resetUserPassword, setUserDisabled } from "../services/users";
import { createRoleAssignment, deleteRoleAssignment } from "../services/role-assignments";
import { createToken, generateTokenPassword } from "../services/tokens";
import { createServicePrincipal, resetServicePrincipalSecret } from "../services/service-principals";
import { updateScopeMap } from "../services/scope-maps";

let userId: string;
before(async () => {
  await useTempDatabase({ WHARF_PASSWORD_SCRYPT_LN: "12", WHARF_REVOCATION_CACHE_SECONDS: "5" });
  await db().registry.create({ data: { name: "contoso" } });
  userId = (await createUser("carol", "carol-password")).id;
});

test("a user's credential survives a rehash but not a reset; a disabled user has none", async () => {
  const sub = `user:${userId}`;
  const signedIn = await checkUserPassword("carol", "carol-password");
  const before = await loadCredentialState(sub, 1);
  assert.equal(before?.credential, signedIn?.credential, "the sign-in and the database agree");
  await db().user.update({ where: { id: userId }, data: { passwordHash: (await db().user.findUniqueOrThrow({ where: { id: userId } })).passwordHash.replace("ln=12", "ln=11") } });
  assert.equal((await loadCredentialState(sub, 1))?.credential, before?.credential, "same salt, same password: same credential");
  await resetUserPassword(LOCAL_OPERATOR, "carol");
  assert.notEqual((await loadCredentialState(sub, 1))?.credential, before?.credential);
  await setUserDisabled(LOCAL_OPERATOR, "carol", true);
  assert.equal(await loadCredentialState(sub, 1), null);
  await setUserDisabled(LOCAL_OPERATOR, "carol", false);
});

test("removing a role changes what the credential grants, not the credential", async () => {
  const sub = `user:${userId}`;
  await createRoleAssignment(LOCAL_OPERATOR, { assignee: "carol", role: "AcrPull", scope: "/registries/contoso" });
  const withRole = await loadCredentialState(sub, 1);
  await deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "carol", role: "AcrPull", scope: "/registries/contoso" });
  const without = await loadCredentialState(sub, 1);
  assert.equal(without?.credential, withRole?.credential);
  assert.notEqual(without?.grants, withRole?.grants);
});

test("tokens: each password is its own credential; a scope map edit changes the grants", async () => {
  const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "ci-puller", repositories: [{ repository: "app", actions: ["content/read"] }] });
  const row = await db().registryToken.findFirstOrThrow({ where: { name: "ci-puller" }, include: { scopeMap: true } });
  const sub = `token:${row.id}`;
  const [p1, p2] = [await loadCredentialState(sub, 1), await loadCredentialState(sub, 2)];
  await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "ci-puller", password: 2 });
  assert.deepEqual(await loadCredentialState(sub, 1), p1, "rotating password 2 leaves password 1 alone");
  assert.notEqual((await loadCredentialState(sub, 2))?.credential, p2?.credential);
  await updateScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: row.scopeMap.name, addActions: ["repositories/other/content/read"] });
  assert.notEqual((await loadCredentialState(sub, 1))?.grants, p1?.grants);
  assert.ok(t.passwords.length);
});

test("service principals: a secret reset is a new credential", async () => {
  const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "builder" });
  const before = await loadCredentialState(`sp:${sp.id}`, 1);
  await resetServicePrincipalSecret(LOCAL_OPERATOR, sp.clientId);
  assert.notEqual((await loadCredentialState(`sp:${sp.id}`, 1))?.credential, before?.credential);
});

const onPostgres = () => !!process.env.WHARF_TEST_POSTGRES_URL; // the test database is PostgreSQL (backends.ts)

/** Asks until the answer is null (the change feed's notification is on its way), at most 5 s. */
async function refusedSoon(sub: string): Promise<void> {
  for (let i = 0; i < 250 && (await credentialState(sub, 1)) !== null; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await credentialState(sub, 1), null);
}

test("the data plane's view is remembered for a few seconds; forgetting makes a change visible at once", { skip: onPostgres() && "PostgreSQL: the change feed, tested below" }, async () => {
  const sub = `user:${userId}`;
  const remembered = await credentialState(sub, 1);
  assert.ok(remembered);
  await setUserDisabled(LOCAL_OPERATOR, "carol", true);
  assert.deepEqual(await credentialState(sub, 1), remembered, "within WHARF_REVOCATION_CACHE_SECONDS the memory answers");
  forgetCredentialState(sub);
  assert.equal(await credentialState(sub, 1), null);
  await setUserDisabled(LOCAL_OPERATOR, "carol", false);
});

test("PostgreSQL: a user disabled through node A is refused by node B without waiting for its memory to expire", async (t) => {
  if (!onPostgres()) return t.skip("SQLite is one node");
  const sub = `user:${userId}`;
  const nodeA = db(); // the client of the context started in before()
  const contextA = context();
  const contextB = startContext(config()); // node B: its own memory, database client and change feed
  t.after(async () => {
    await contextB.close();
    await contextA.close();
  });
  assert.ok(await credentialState(sub, 1));
  for (let i = 0; i < 250 && changeVersion("credentials") === null; i++) await new Promise((r) => setTimeout(r, 20)); // B's feed is listening
  forgetCredentialState(sub);
  const remembered = Date.now(); // node B's answer is kept until at least this + WHARF_REVOCATION_CACHE_SECONDS (5 s)
  assert.ok(await credentialState(sub, 1), "node B remembers the credential");
  await nodeA.user.update({ where: { id: userId }, data: { disabled: true } });
  await refusedSoon(sub);
  // Not a speed limit: before this instant only the change feed can have dropped B's answer, after it the expiry.
  assert.ok(Date.now() < remembered + 5000, "node B dropped its answer on the notification, not on expiry");
  await nodeA.user.update({ where: { id: userId }, data: { disabled: false } });
});
