import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createUser, resetUserPassword, setUserDisabled } from "../../lib/services/users";
import { createRoleAssignment, deleteRoleAssignment } from "../../lib/services/role-assignments";
import { createToken, generateTokenPassword, updateToken } from "../../lib/services/tokens";
import { createServicePrincipal, resetServicePrincipalSecret, setServicePrincipalDisabled } from "../../lib/services/service-principals";
import { api, pushPull, token } from "../helpers/registry-fixtures";
import { portalSignIn, sessionUser } from "../helpers/portal-session";
import { startWharf, type Wharf } from "../helpers/wharf";

/**
 * Issue 11, item 7: a change to a credential bites on /v2 within seconds, not
 * when the access token expires (300 s). The changes are made by this process
 * through lib/services, as another node would: the server learns of them only
 * from the database.
 */
let w: Wharf;
let adminToken: string;
const PULL = ["repository:contoso/app:pull"];
const LIMIT_MS = 5000;

before(async () => {
  // A low scrypt cost keeps the many users of this file quick; it changes nothing about revocation.
  w = await startWharf({ env: { WHARF_PASSWORD_SCRYPT_LN: "14" } });
  startContext(parseConfig({ ...w.env, WHARF_DATA_DIR: w.dataDir, WHARF_PASSWORD_SCRYPT_LN: "14" }));
  await db().registry.create({ data: { name: "contoso" } });
  adminToken = await token(w, [pushPull("contoso/app")]);
  await api(w, adminToken).pushImage("contoso/app", "v1");
});
after(async () => {
  await db().$disconnect();
  await w?.stop();
});

const pulls = async (t: string) => (await api(w, t).fetch("/v2/contoso/app/manifests/v1", { method: "HEAD" })).status;

/** Polls until /v2 refuses the token; fails if it still works after LIMIT_MS. */
async function refusedWithinLimit(t: string): Promise<void> {
  const start = Date.now();
  let status = await pulls(t);
  while (status !== 401 && Date.now() - start < LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    status = await pulls(t);
  }
  assert.equal(status, 401, `the token still worked ${Date.now() - start} ms after the change`);
}

async function userWithPull(name: string): Promise<string> {
  const password = `${name}-password`;
  await createUser(name, password);
  await createRoleAssignment(LOCAL_OPERATOR, { assignee: name, role: "AcrPull", scope: "/registries/contoso" });
  return password;
}

describe("a token obtained before a change stops working on /v2 within 5 s", () => {
  it("repository-scoped token disabled", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "ci-disabled", repositories: [{ repository: "app", actions: ["content/read"] }] });
    const access = await token(w, PULL, "ci-disabled", t.passwords[0].value);
    assert.equal(await pulls(access), 200);
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "ci-disabled", status: "disabled" });
    await refusedWithinLimit(access);
  });

  it("repository-scoped token password regenerated (the other password keeps working)", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "ci-rotated", repositories: [{ repository: "app", actions: ["content/read"] }] });
    const viaOne = await token(w, PULL, "ci-rotated", t.passwords[0].value);
    const viaTwo = await token(w, PULL, "ci-rotated", t.passwords[1].value);
    await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "ci-rotated", password: 1 });
    await refusedWithinLimit(viaOne);
    assert.equal(await pulls(viaTwo), 200);
  });

  it("service principal disabled", async () => {
    const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "builder-off" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: sp.clientId, role: "AcrPull", scope: "/registries/contoso" });
    const access = await token(w, PULL, sp.clientId, sp.secret);
    assert.equal(await pulls(access), 200);
    await setServicePrincipalDisabled(LOCAL_OPERATOR, sp.clientId, true);
    await refusedWithinLimit(access);
  });

  it("service principal secret reset", async () => {
    const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "builder-reset" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: sp.clientId, role: "AcrPull", scope: "/registries/contoso" });
    const access = await token(w, PULL, sp.clientId, sp.secret);
    assert.equal(await pulls(access), 200);
    const fresh = await resetServicePrincipalSecret(LOCAL_OPERATOR, sp.clientId);
    await refusedWithinLimit(access);
    assert.equal(await pulls(await token(w, PULL, sp.clientId, fresh.secret)), 200, "the new secret works");
  });

  it("user disabled", async () => {
    const password = await userWithPull("dave");
    const access = await token(w, PULL, "dave", password);
    assert.equal(await pulls(access), 200);
    await setUserDisabled(LOCAL_OPERATOR, "dave", true);
    await refusedWithinLimit(access);
  });

  it("user password reset", async () => {
    const password = await userWithPull("erin");
    const access = await token(w, PULL, "erin", password);
    assert.equal(await pulls(access), 200);
    await resetUserPassword(LOCAL_OPERATOR, "erin");
    await refusedWithinLimit(access);
  });

  it("role assignment removed", async () => {
    const password = await userWithPull("frank");
    const access = await token(w, PULL, "frank", password);
    assert.equal(await pulls(access), 200);
    await deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "frank", role: "AcrPull", scope: "/registries/contoso" });
    await refusedWithinLimit(access);
    // A new token holds what frank may do now: nothing here.
    const again = await token(w, PULL, "frank", password);
    assert.equal(await pulls(again), 401);
  });

  it("tokens of principals that did not change keep working", async () => {
    assert.equal(await pulls(adminToken), 200);
  });
});

describe("portal sessions", () => {
  it("end after a password reset", async () => {
    const password = await userWithPull("grace");
    const { session } = await portalSignIn(w, "grace", password);
    assert.ok(session, "signed in");
    assert.equal(await sessionUser(w, session), "grace");
    await resetUserPassword(LOCAL_OPERATOR, "grace");
    const start = Date.now();
    let user = await sessionUser(w, session);
    while (user !== null && Date.now() - start < LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 100));
      user = await sessionUser(w, session);
    }
    assert.equal(user, null, `the session still worked ${Date.now() - start} ms after the reset`);
    const page = await fetch(`${w.url}/`, { headers: { Cookie: session }, redirect: "manual" });
    await page.arrayBuffer();
    assert.match(page.headers.get("location") ?? "", /\/login/, "the portal sends the user to sign in again");
  });
});
