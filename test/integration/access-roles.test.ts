import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { db } from "../../lib/core/db";
import { createUser } from "../../lib/services/users";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createRoleAssignment } from "../../lib/services/role-assignments";
import { createResourceGroup } from "../../lib/services/resource-groups";
import { api, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { errorCode, getToken, useServerDatabase } from "../helpers/access";
import { startWharf, type Wharf } from "../helpers/wharf";

/**
 * DESIGN §4's role table, through the real token endpoint and /v2: for every role
 * assigned at organisation, registry and repository scope, what a token asked for
 * with pull,push,delete lets the holder do. The table is written out here on
 * purpose (not derived from lib/auth/roles.ts), so a change there must be
 * matched here.
 */
const EXPECTED: Record<string, { pull: boolean; push: boolean; delete: boolean }> = {
  Owner: { pull: true, push: true, delete: true },
  Contributor: { pull: true, push: true, delete: true },
  Reader: { pull: true, push: false, delete: false },
  AcrPush: { pull: true, push: true, delete: false },
  AcrPull: { pull: true, push: false, delete: false },
  AcrDelete: { pull: false, push: false, delete: true },
  AcrImageSigner: { pull: false, push: false, delete: false },
};

const SCOPES = {
  organisation: "/",
  registry: "/registries/contoso",
  repository: "/registries/contoso/repositories/app",
} as const;

describe("role × scope matrix on /v2", () => {
  let w: Wharf;
  let admin: Api;
  let base: { config: string; layer: string; configSize: number; layerSize: number };

  /** A manifest made of v1's blobs plus a marker, so each case pushes or deletes its own. */
  const manifestBytes = (marker: string) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: base.config, size: base.configSize },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: base.layer, size: base.layerSize }],
        annotations: { marker },
      }),
    );

  before(async () => {
    w = await startWharf();
    useServerDatabase(w);
    await db().registry.create({ data: { name: "contoso", sku: "Standard" } });
    await db().registry.create({ data: { name: "fabrikam", sku: "Standard" } });
    admin = api(w, await token(w, [pushPull("contoso/app"), pushPull("contoso/other"), pushPull("fabrikam/app")]));
    const layer = crypto.randomBytes(500);
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux" }));
    await admin.pushBlob("contoso/app", layer);
    await admin.pushBlob("contoso/app", config);
    base = { config: sha256(config), layer: sha256(layer), configSize: config.length, layerSize: layer.length };
    assert.equal((await admin.pushManifest("contoso/app", "v1", manifestBytes("v1"))).status, 201);
    await admin.pushImage("contoso/other", "v1");
    await admin.pushImage("fabrikam/app", "v1");
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  for (const [scopeName, scope] of Object.entries(SCOPES)) {
    for (const [role, want] of Object.entries(EXPECTED)) {
      it(`${role} at ${scopeName} scope: pull ${want.pull}, push ${want.push}, delete ${want.delete}`, async () => {
        const username = `u-${role.toLowerCase()}-${scopeName.slice(0, 4)}`;
        const password = `${username}-password`;
        await createUser(username, password);
        await createRoleAssignment(LOCAL_OPERATOR, { assignee: username, role, scope });
        // Each case deletes its own manifest, pushed by the admin first.
        const victim = manifestBytes(`victim-${username}`);
        assert.equal((await admin.pushManifest("contoso/app", `victim-${username}`, victim)).status, 201);

        const t = await getToken(w, ["repository:contoso/app:pull,push,delete"], { user: username, password });
        assert.equal(t.status, 200, "asking for more than allowed is never an error");
        const granted = new Set(t.access.find((a) => a.name === "contoso/app")?.actions ?? []);
        assert.equal(granted.has("pull"), want.pull, "pull granted");
        assert.equal(granted.has("push"), want.push, "push granted");
        assert.equal(granted.has("delete"), want.delete, "delete granted");
        const me = api(w, t.token!);

        const pull = await me.fetch("/v2/contoso/app/manifests/v1");
        assert.equal(pull.status, want.pull ? 200 : 401, "pull");
        if (!want.pull) {
          assert.equal(await errorCode(pull), "UNAUTHORIZED");
          assert.match(pull.headers.get("www-authenticate") ?? "", /error="insufficient_scope"/);
        }

        const blob = await me.fetch(`/v2/contoso/app/blobs/uploads/?digest=${sha256(username)}`, { method: "POST", body: username });
        assert.equal(blob.status, want.push ? 201 : 401, "blob push");
        const push = await me.pushManifest("contoso/app", `pushed-${username}`, manifestBytes(`pushed-${username}`));
        assert.equal(push.status, want.push ? 201 : 401, "manifest push");

        const del = await me.fetch(`/v2/contoso/app/manifests/${sha256(victim)}`, { method: "DELETE" });
        assert.equal(del.status, want.delete ? 202 : 401, "delete");
        const after = await admin.fetch(`/v2/contoso/app/manifests/${sha256(victim)}`, { method: "HEAD" });
        assert.equal(after.status, want.delete ? 404 : 200, "the manifest is gone only when delete was allowed");

        // Inheritance goes downwards only: a repository-scoped role reaches no other
        // repository; a registry-scoped one no other registry.
        const other = await getToken(w, ["repository:contoso/other:pull", "repository:fabrikam/app:pull"], { user: username, password });
        const names = new Set(other.access.filter((a) => a.actions.includes("pull")).map((a) => a.name));
        assert.equal(names.has("contoso/other"), want.pull && scopeName !== "repository", "contoso/other");
        assert.equal(names.has("fabrikam/app"), want.pull && scopeName === "organisation", "fabrikam/app");
        const otherApi = api(w, other.token!);
        assert.equal((await otherApi.fetch("/v2/fabrikam/app/manifests/v1", { method: "HEAD" })).status, names.has("fabrikam/app") ? 200 : 401);
      });
    }
  }

  it("a role at resource-group scope reaches the registries in that group only", async () => {
    const rg = await createResourceGroup(LOCAL_OPERATOR, { name: "team-rg" });
    await db().registry.update({ where: { name: "contoso" }, data: { resourceGroupId: rg.id } });
    await createUser("rg-puller", "rg-puller-password");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "rg-puller", role: "AcrPull", scope: "/resourceGroups/team-rg" });
    const t = await getToken(w, ["repository:contoso/app:pull", "repository:fabrikam/app:pull"], { user: "rg-puller", password: "rg-puller-password" });
    assert.deepEqual(t.access.map((a) => a.name), ["contoso/app"]);
    assert.equal((await api(w, t.token!).fetch("/v2/contoso/app/manifests/v1")).status, 200);
    assert.equal((await api(w, t.token!).fetch("/v2/fabrikam/app/manifests/v1")).status, 401);
  });

  it("without any role a user may log in but is granted nothing", async () => {
    await createUser("nobody", "nobody-password");
    const t = await getToken(w, ["repository:contoso/app:pull,push,delete"], { user: "nobody", password: "nobody-password" });
    assert.equal(t.status, 200);
    assert.deepEqual(t.access, []);
    assert.equal((await api(w, t.token!).fetch("/v2/contoso/app/manifests/v1")).status, 401);
  });

  it("a wrong password gets 401 from the token endpoint, not an empty token", async () => {
    const t = await getToken(w, ["repository:contoso/app:pull"], { user: "nobody", password: "wrong-password" });
    assert.equal(t.status, 401);
    assert.equal(t.token, null);
  });
});
