import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createUser } from "../../lib/services/users";
import { createRoleAssignment } from "../../lib/services/role-assignments";
import { listActivity, type ActivityRow } from "../../lib/services/activity";
import { getToken, useServerDatabase } from "../helpers/access";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { portalSignIn } from "../helpers/portal-session";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout } from "../helpers/oci-layout";
import { ADMIN_PASSWORD, runCli, startWharf, type Wharf } from "../helpers/wharf";

/** The activity log through real clients: what they do shows up, filtered, paged and only to those who may read it. */
describe("activity log", () => {
  let w: Wharf;
  let tmp: string;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  let layout: OciLayout;
  const creds = `admin:${ADMIN_PASSWORD}`;

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-activity-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    layout.tag({ v1: layout.image({ fileContent: "activity\n" }) });
    w = await startWharf();
    useServerDatabase(w);
    await createRegistryRow(w, "contoso");
    await createRegistryRow(w, "fabrikam");
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Pull and token rows are written by the server's flush every few seconds: wait for the row to appear. */
  async function waitFor(find: () => Promise<ActivityRow | undefined>): Promise<ActivityRow> {
    for (let i = 0; i < 100; i++) {
      const row = await find();
      if (row) return row;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail("the activity row never appeared");
  }

  it("records a skopeo push with the address, and two pulls as one row counting 2", async () => {
    await skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${w.host}/contoso/hello:v1`);
    const pushes = (await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "push" })).items;
    assert.equal(pushes.length, 1);
    assert.equal(pushes[0].action, "manifest.push");
    assert.equal(pushes[0].actor, "admin");
    assert.equal(pushes[0].repository, "hello");
    assert.equal(pushes[0].tag, "v1");
    assert.ok(pushes[0].address, "the push names the address it came from");

    const bearer = await token(w, ["repository:contoso/hello:pull"]);
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${w.url}/v2/contoso/hello/manifests/v1`, { headers: { Authorization: `Bearer ${bearer}`, Accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
    const pull = await waitFor(async () => (await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "pull" })).items.find((r) => r.count >= 2));
    const pulls = (await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "pull" })).items;
    assert.equal(pulls.length, 1, "one row for the hour, not one per pull");
    assert.equal(pull.count, 2);
    assert.equal(pull.actor, "admin");
    assert.equal(pull.repository, "hello");
  });

  it("counts token grants per registry and principal, never a row per request", async () => {
    for (let i = 0; i < 3; i++) await token(w, ["repository:fabrikam/app:pull"]);
    const row = await waitFor(async () => (await listActivity(LOCAL_OPERATOR, { registry: "fabrikam", action: "token" })).items.find((r) => r.count >= 3));
    assert.equal((await listActivity(LOCAL_OPERATOR, { registry: "fabrikam", action: "token" })).items.length, 1);
    assert.equal(row.actor, "admin");
    assert.equal(row.result, "ok");
  });

  it("records a delete", async () => {
    await skopeo("delete", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/hello:v1`);
    const deletes = (await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "delete" })).items;
    assert.ok(deletes.length >= 1, "the delete is in the log");
    assert.ok(deletes.every((d) => d.actor === "admin"));
  });

  it("records a failed token request and a wrong portal password with address and result failed", async () => {
    const t = await getToken(w, ["repository:contoso/hello:pull"], { user: "admin", password: "not-the-password" });
    assert.equal(t.status, 401);
    const failedToken = (await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "token", result: "failed" })).items;
    assert.equal(failedToken.length, 1);
    assert.equal(failedToken[0].actor, "admin");
    assert.ok(failedToken[0].address);
    assert.deepEqual(JSON.parse(failedToken[0].after!).scopes, ["repository:contoso/hello:pull"]);

    const signIn = await portalSignIn(w, "admin", "wrong-password");
    assert.equal(signIn.session, null);
    const failedSignIn = (await listActivity(LOCAL_OPERATOR, { action: "signin", result: "failed" })).items;
    assert.equal(failedSignIn.length, 1);
    assert.equal(failedSignIn[0].actor, "admin");
    assert.ok(failedSignIn[0].address);

    const ok = await portalSignIn(w, "admin", ADMIN_PASSWORD);
    assert.ok(ok.session);
    assert.equal((await listActivity(LOCAL_OPERATOR, { action: "signin", result: "ok" })).items.length, 1);
  });

  it("pages with keyset cursors: older pages cover every row once, newer goes back", async () => {
    for (let i = 0; i < 7; i++) await db().activityLog.create({ data: { actor: "pager", action: "test.page", target: `row${i}`, registryId: (await db().registry.findUnique({ where: { name: "contoso" } }))!.id } });
    const all = (await listActivity(LOCAL_OPERATOR, { registry: "contoso", principal: "pager", take: 100 })).items;
    assert.equal(all.length, 7);
    const seen: string[] = [];
    const pages: { older: string | null; ids: string[] }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listActivity(LOCAL_OPERATOR, { registry: "contoso", principal: "pager", take: 3, cursor });
      seen.push(...page.items.map((r) => r.id));
      pages.push({ older: page.older, ids: page.items.map((r) => r.id) });
      if (!page.older) break;
      cursor = page.older;
    }
    assert.deepEqual(seen, all.map((r) => r.id));
    assert.deepEqual(pages.map((p) => p.ids.length), [3, 3, 1]);
    const second = await listActivity(LOCAL_OPERATOR, { registry: "contoso", principal: "pager", take: 3, cursor: pages[0].older! });
    const back = await listActivity(LOCAL_OPERATOR, { registry: "contoso", principal: "pager", take: 3, before: second.newer! });
    assert.deepEqual(back.items.map((r) => r.id), pages[0].ids);
    assert.equal(back.newer, null, "the first page has nothing newer");
  });

  it("filters by time and explains a bad --since", async () => {
    assert.equal((await listActivity(LOCAL_OPERATOR, { registry: "contoso", since: "1h" })).items.length > 0, true);
    assert.equal((await listActivity(LOCAL_OPERATOR, { registry: "contoso", until: "2000-01-01T00:00:00Z" })).items.length, 0);
    await assert.rejects(listActivity(LOCAL_OPERATOR, { since: "yesterday" }), /neither a duration ago .* nor an ISO time/);
  });

  it("lets a Reader of one registry read its log only", async () => {
    const u = await createUser("reader1", "reader1-password");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "reader1", role: "Reader", scope: "/registries/contoso" });
    const reader = { kind: "user" as const, id: u.id, name: "reader1" };
    assert.ok((await listActivity(reader, { registry: "contoso" })).items.length > 0);
    await assert.rejects(listActivity(reader, { registry: "fabrikam" }), (e: { code?: string }) => e.code === "DENIED");
    await assert.rejects(listActivity(reader, {}), (e: { code?: string }) => e.code === "DENIED");
  });

  it("wharf activity list filters as the portal does and refuses a bad --since", async () => {
    const r = await runCli(w, ["activity", "list", "-r", "contoso", "--action", "manifest.push", "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { action: string; actor: string }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0].action, "manifest.push");
    const bad = await runCli(w, ["activity", "list", "--since", "soon"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /30m, 1h, 7d/);
  });
});
