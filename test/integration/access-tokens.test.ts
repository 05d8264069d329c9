import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SignJWT, exportSPKI, importJWK, generateKeyPair, type JWK } from "jose";
import { db } from "../../lib/core/db";
import { createUser } from "../../lib/services/users";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { createRoleAssignment, deleteRoleAssignment } from "../../lib/services/role-assignments";
import { createScopeMap } from "../../lib/services/scope-maps";
import { createToken, generateTokenPassword, updateToken } from "../../lib/services/tokens";
import { updateRegistry } from "../../lib/services/registry-settings";
import { renewAdminPassword } from "../../lib/services/registry-credentials";
import { createServicePrincipal, setServicePrincipalDisabled } from "../../lib/services/service-principals";
import { api, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { claimsOf, errorCode, getToken, postToken, useServerDatabase } from "../helpers/access";
import { startWharf, type Wharf } from "../helpers/wharf";

const DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_ACCEPT = "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

let w: Wharf;
let admin: Api;
let aspnet: { bytes: Buffer; digest: string };

/** A Docker v2 schema 2 image (docker push's format), pushed as the admin user. */
async function pushDockerImage(a: Api, name: string, tag: string): Promise<{ bytes: Buffer; digest: string }> {
  const layer = crypto.randomBytes(2000);
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [sha256(layer)] } }));
  await a.pushBlob(name, layer);
  await a.pushBlob(name, config);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_V2,
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: config.length, digest: sha256(config) },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: sha256(layer) }],
    }),
  );
  const r = await a.pushManifest(name, tag, bytes, DOCKER_V2);
  assert.equal(r.status, 201, await r.text());
  return { bytes, digest: sha256(bytes) };
}

const bearer = (t: string) => api(w, t);
const pullStatus = async (t: string, name: string, ref = "v1") => (await bearer(t).fetch(`/v2/${name}/manifests/${ref}`, { method: "HEAD" })).status;

before(async () => {
  w = await startWharf();
  useServerDatabase(w);
  await db().registry.create({ data: { name: "contoso", sku: "Premium" } });
  await db().registry.create({ data: { name: "fabrikam", sku: "Premium" } });
  admin = api(w, await token(w, ["contoso/aspnetapp", "contoso/other", "contoso/team/a", "contoso/team/b", "contoso/teamwork", "fabrikam/aspnetapp"].map(pushPull)));
  aspnet = await pushDockerImage(admin, "contoso/aspnetapp", "latest");
  for (const name of ["contoso/other", "contoso/team/a", "contoso/team/b", "contoso/teamwork", "fabrikam/aspnetapp"]) await admin.pushImage(name, "v1");
});
after(async () => {
  await db().$disconnect();
  await w?.stop();
});

describe("the issue's 'Done when' flow (Token-BasicAuth)", () => {
  let password: string;

  before(async () => {
    const t = await createToken(LOCAL_OPERATOR, {
      registry: "contoso",
      name: "readonlypull",
      repositories: [{ repository: "aspnetapp", actions: ["content/read", "metadata/read"] }],
    });
    password = t.passwords[0].value;
  });

  it("Basic → /oauth2/token → manifest with the Docker Accept list, digest header and exact bytes", async () => {
    const q = new URLSearchParams({ service: w.host, scope: "repository:contoso/aspnetapp:pull" });
    const basic = Buffer.from(`readonlypull:${password}`).toString("base64");
    const tr = await fetch(`${w.url}/oauth2/token?${q}`, { headers: { Authorization: `Basic ${basic}` } });
    assert.equal(tr.status, 200);
    const { access_token } = (await tr.json()) as { access_token: string };
    const r = await fetch(`${w.url}/v2/contoso/aspnetapp/manifests/latest`, { headers: { Authorization: `Bearer ${access_token}`, Accept: DOCKER_ACCEPT } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), DOCKER_V2);
    assert.equal(r.headers.get("docker-content-digest"), aspnet.digest);
    const body = Buffer.from(await r.arrayBuffer());
    assert.ok(body.equals(aspnet.bytes), "the manifest bytes exactly as pushed");
    assert.equal(JSON.parse(body.toString()).mediaType, DOCKER_V2);
  });

  it("pushing with the token is refused", async () => {
    const t = await getToken(w, ["repository:contoso/aspnetapp:pull,push"], { user: "readonlypull", password });
    assert.deepEqual(t.access.find((a) => a.name === "contoso/aspnetapp")?.actions.sort(), ["metadata_read", "pull"]);
    const me = bearer(t.token!);
    const up = await me.fetch(`/v2/contoso/aspnetapp/blobs/uploads/`, { method: "POST" });
    assert.equal(up.status, 401);
    assert.match(up.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    const put = await me.pushManifest("contoso/aspnetapp", "latest", aspnet.bytes, DOCKER_V2);
    assert.equal(put.status, 401);
    assert.equal(await errorCode(put), "UNAUTHORIZED");
  });

  it("pulling another repository is refused", async () => {
    const t = await getToken(w, ["repository:contoso/other:pull"], { user: "readonlypull", password });
    assert.equal(t.status, 200);
    assert.deepEqual(t.access, []);
    assert.equal(await pullStatus(t.token!, "contoso/other"), 401);
  });

  it("tags/list works (metadata/read), the catalog shows only aspnetapp", async () => {
    const t = await getToken(w, ["repository:contoso/aspnetapp:pull", "registry:catalog:*"], { user: "readonlypull", password });
    const tags = await bearer(t.token!).fetch("/v2/contoso/aspnetapp/tags/list");
    assert.deepEqual(((await tags.json()) as { tags: string[] }).tags, ["latest"]);
    const cat = await bearer(t.token!).fetch("/v2/_catalog");
    assert.deepEqual(((await cat.json()) as { repositories: string[] }).repositories, ["contoso/aspnetapp"]);
  });

  it("the same token name in another registry is another credential: contoso's password never reaches fabrikam", async () => {
    const f = await createToken(LOCAL_OPERATOR, { registry: "fabrikam", name: "readonlypull", scopeMap: "_repositories_pull" });
    const mine = await getToken(w, ["repository:fabrikam/aspnetapp:pull"], { user: "readonlypull", password });
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.access, [], "a contoso token is granted nothing on fabrikam");
    const theirs = await getToken(w, ["repository:fabrikam/aspnetapp:pull"], { user: "readonlypull", password: f.passwords[0].value });
    assert.equal(await pullStatus(theirs.token!, "fabrikam/aspnetapp"), 200);
    // And a valid contoso token presented for a fabrikam repository is not enough.
    const contosoToken = (await getToken(w, ["repository:contoso/aspnetapp:pull"], { user: "readonlypull", password })).token!;
    assert.equal(await pullStatus(contosoToken, "fabrikam/aspnetapp", "latest"), 401);
  });
});

describe("scope maps: exact repositories, prefix/* wildcards, built-ins", () => {
  it("prefix/* matches repositories below the prefix only", async () => {
    await createScopeMap(LOCAL_OPERATOR, { registry: "contoso", name: "team-push", actions: ["repositories/team/*/content/read", "repositories/team/*/content/write"] });
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "teamci", scopeMap: "team-push" });
    const pw = t.passwords[0].value;
    const tk = await getToken(w, ["contoso/team/a", "contoso/team/new/deep", "contoso/teamwork", "contoso/other"].map((n) => `repository:${n}:pull,push,delete`), { user: "teamci", password: pw });
    const by = Object.fromEntries(tk.access.map((a) => [a.name, a.actions.sort()]));
    assert.deepEqual(by, { "contoso/team/a": ["pull", "push"], "contoso/team/new/deep": ["pull", "push"] });
    assert.equal(await pullStatus(tk.token!, "contoso/team/a"), 200);
    assert.equal(await pullStatus(tk.token!, "contoso/teamwork"), 401, "team/* does not match teamwork");
    await bearer(tk.token!).pushImage("contoso/team/new/deep", "v1");
    const del = await bearer(tk.token!).fetch("/v2/contoso/team/a/manifests/v1", { method: "DELETE" });
    assert.equal(del.status, 401, "no content/delete in the map");
  });

  it("a refusal names the scope-map action that is missing: tags/list without metadata/read", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "contentonly", repositories: [{ repository: "other", actions: ["content/read"] }] });
    const tk = await getToken(w, ["repository:contoso/other:pull"], { user: "contentonly", password: t.passwords[0].value });
    const r = await bearer(tk.token!).fetch("/v2/contoso/other/tags/list");
    assert.equal(r.status, 401);
    const message = ((await r.json()) as { errors: { message: string }[] }).errors[0].message;
    assert.match(message, /does not allow metadata\/read on 'contoso\/other'/);
    assert.match(message, /repositories\/other\/metadata\/read/);
    assert.doesNotMatch(message, /:pull/, "the token has pull; naming it as missing misleads");
  });

  it("built-in scope maps: _repositories_pull, _repositories_push, _repositories_admin", async () => {
    const scopes = ["repository:contoso/other:pull,push,delete", "repository:contoso/team/b:pull,push,delete"];
    const expect: Record<string, string[]> = {
      _repositories_pull: ["pull"],
      _repositories_push: ["pull", "push"],
      _repositories_admin: ["delete", "metadata_read", "metadata_write", "pull", "push"],
    };
    for (const [map, actions] of Object.entries(expect)) {
      const name = `bi${map.replace(/_/g, "-")}`.slice(0, 40);
      const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name, scopeMap: map });
      const tk = await getToken(w, scopes, { user: name, password: t.passwords[1].value });
      for (const repo of ["contoso/other", "contoso/team/b"]) {
        assert.deepEqual(tk.access.find((a) => a.name === repo)?.actions.filter((a) => a !== "*").sort(), actions, `${map} on ${repo}`);
      }
      assert.equal(await pullStatus(tk.token!, "contoso/other"), 200);
      const push = await bearer(tk.token!).fetch("/v2/contoso/other/blobs/uploads/", { method: "POST" });
      assert.equal(push.status, actions.includes("push") ? 202 : 401, `${map} push`);
    }
  });

  it("a disabled token cannot log in; enabling it again restores access", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "togglebot", scopeMap: "_repositories_pull" });
    const creds = { user: "togglebot", password: t.passwords[0].value };
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], creds)).status, 200);
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "togglebot", status: "disabled" });
    const refused = await getToken(w, ["repository:contoso/other:pull"], creds);
    assert.equal(refused.status, 401);
    assert.equal(refused.token, null);
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "togglebot", status: "enabled" });
    const back = await getToken(w, ["repository:contoso/other:pull"], creds);
    assert.equal(await pullStatus(back.token!, "contoso/other"), 200);
  });

  it("an expired password is refused while the other password keeps working", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "expirybot", scopeMap: "_repositories_pull" });
    const later = new Date(Date.now() + 3600_000);
    const p1 = (await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "expirybot", password: 1, expiry: later })).passwords[0].value;
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], { user: "expirybot", password: p1 })).status, 200);
    // Time passes: the expiry is now behind us.
    await db().registryToken.updateMany({ where: { name: "expirybot" }, data: { password1Expiry: new Date(Date.now() - 1000) } });
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], { user: "expirybot", password: p1 })).status, 401);
    const p2 = await getToken(w, ["repository:contoso/other:pull"], { user: "expirybot", password: t.passwords[1].value });
    assert.equal(await pullStatus(p2.token!, "contoso/other"), 200);
  });

  it("a rotated password stops working at once; the other slot is untouched", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "rotatebot", scopeMap: "_repositories_pull" });
    const old1 = t.passwords[0].value;
    const new1 = (await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "rotatebot", password: 1 })).passwords[0].value;
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], { user: "rotatebot", password: old1 })).status, 401);
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], { user: "rotatebot", password: new1 })).status, 200);
    assert.equal((await getToken(w, ["repository:contoso/other:pull"], { user: "rotatebot", password: t.passwords[1].value })).status, 200);
  });
});

describe("_catalog is filtered to what the caller may read", () => {
  it("an AcrPull-on-one-repository user sees only that repository; the org Owner sees all", async () => {
    await createUser("catuser", "catuser-password");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "catuser", role: "AcrPull", scope: "/registries/contoso/repositories/team/b" });
    const t = await getToken(w, ["registry:catalog:*"], { user: "catuser", password: "catuser-password" });
    const cat = await bearer(t.token!).fetch("/v2/_catalog");
    assert.equal(cat.status, 200);
    assert.deepEqual(((await cat.json()) as { repositories: string[] }).repositories, ["contoso/team/b"]);
    const all = await admin.fetch("/v2/_catalog", { headers: { Authorization: `Bearer ${await token(w, ["registry:catalog:*"])}` } });
    assert.deepEqual(((await all.json()) as { repositories: string[] }).repositories, [
      "contoso/aspnetapp", "contoso/other", "contoso/team/a", "contoso/team/b", "contoso/team/new/deep", "contoso/teamwork", "fabrikam/aspnetapp",
    ]);
  });

  it("anonymous callers get no catalog", async () => {
    const t = await getToken(w, ["registry:catalog:*"]);
    assert.equal(t.status, 200);
    assert.deepEqual(t.access, []);
    assert.equal((await bearer(t.token!).fetch("/v2/_catalog")).status, 401);
  });
});

describe("forged and misused access tokens are refused by /v2", () => {
  let good: string;
  let privateJwk: JWK;

  const sign = async (claims: Record<string, unknown>, opts: { aud?: string; iss?: string; exp?: number; key?: CryptoKey | Uint8Array; alg?: string; kid?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const key = opts.key ?? ((await importJWK(privateJwk, "ES256")) as CryptoKey);
    // The genuine token's credential fingerprint comes along: /v2 checks it against the credential's current state.
    const { cred, fp } = claimsOf(good);
    return new SignJWT({ cred, fp, ...claims })
      .setProtectedHeader({ alg: opts.alg ?? "ES256", kid: opts.kid ?? (claimsHeader(good).kid as string), typ: "JWT" })
      .setIssuer(opts.iss ?? "wharf")
      .setSubject(claimsOf(good).sub as string)
      .setAudience(opts.aud ?? w.host)
      .setIssuedAt(now)
      .setExpirationTime(opts.exp ?? now + 300)
      .sign(key);
  };
  const claimsHeader = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString());
  const access = [{ type: "repository", name: "contoso/aspnetapp", actions: ["pull", "push", "delete"] }];
  const refused = async (jwt: string, what: string) => {
    const r = await bearer(jwt).fetch("/v2/contoso/aspnetapp/manifests/latest");
    assert.equal(r.status, 401, what);
    assert.equal(await errorCode(r), "UNAUTHORIZED", what);
  };

  before(async () => {
    good = await token(w, ["repository:contoso/aspnetapp:pull"]);
    privateJwk = JSON.parse(fs.readFileSync(path.join(w.dataDir, "keys", "token-signing-key.json"), "utf8"));
  });

  it("the genuine token works, and one signed the same way by the test is accepted (the baseline)", async () => {
    assert.equal(await pullStatus(good, "contoso/aspnetapp", "latest"), 200);
    assert.equal(await pullStatus(await sign({ access }), "contoso/aspnetapp", "latest"), 200);
  });

  it("alg: none", async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const payload = { ...claimsOf(good), access };
    await refused(`${enc({ alg: "none", typ: "JWT" })}.${enc(payload)}.`, "alg none, empty signature");
    await refused(`${enc({ alg: "none", typ: "JWT" })}.${enc(payload)}`, "alg none, no signature part");
  });

  it("HS256 signed with the public key (algorithm confusion)", async () => {
    const { d: _d, ...pub } = privateJwk;
    const pem = await exportSPKI((await importJWK(pub, "ES256")) as CryptoKey);
    await refused(await sign({ access }, { alg: "HS256", key: new TextEncoder().encode(pem) }), "HS256 with the PEM public key");
    await refused(await sign({ access }, { alg: "HS256", key: new TextEncoder().encode(JSON.stringify(pub)) }), "HS256 with the JWK public key");
  });

  it("another key, even with our kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    await refused(await sign({ access }, { key: privateKey as CryptoKey }), "foreign ES256 key");
  });

  it("wrong audience, wrong issuer, expired", async () => {
    await refused(await sign({ access }, { aud: "evil.example.com" }), "wrong aud");
    await refused(await sign({ access }, { iss: "someone-else" }), "wrong iss");
    await refused(await sign({ access }, { exp: Math.floor(Date.now() / 1000) - 60 }), "expired");
  });

  it("tampered claims (pull widened to push, contoso renamed to fabrikam) break the signature", async () => {
    const [h, p, s] = good.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    claims.access[0].actions = ["pull", "push", "delete"];
    await refused(`${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`, "widened actions");
    claims.access[0].name = "fabrikam/aspnetapp";
    const r = await bearer(`${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`).fetch("/v2/fabrikam/aspnetapp/manifests/v1");
    assert.equal(r.status, 401);
  });

  it("a genuine contoso/* token used on fabrikam/* is insufficient", async () => {
    const wide = await token(w, ["repository:contoso/aspnetapp:pull,push,delete", "repository:contoso/other:pull"]);
    const r = await bearer(wide).fetch("/v2/fabrikam/aspnetapp/manifests/v1");
    assert.equal(r.status, 401);
    assert.match(r.headers.get("www-authenticate") ?? "", /scope="repository:fabrikam\/aspnetapp:pull",error="insufficient_scope"/);
  });

  it("a refresh token is not an access token", async () => {
    const t = await postToken(w, { grant_type: "password", username: "admin", password: "s3cret-Pass", access_type: "offline" }, ["repository:contoso/aspnetapp:pull"]);
    assert.equal(typeof t.body.refresh_token, "string");
    await refused(t.body.refresh_token as string, "refresh token as bearer");
  });
});

describe("refresh tokens", () => {
  const scope = ["repository:contoso/other:pull"];
  const refresh = (rt: string) => postToken(w, { grant_type: "refresh_token", refresh_token: rt }, scope);

  it("grant_type=password with access_type=offline returns a refresh token that mints access tokens", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "refreshbot", scopeMap: "_repositories_pull" });
    const first = await postToken(w, { grant_type: "password", username: "refreshbot", password: t.passwords[0].value, access_type: "offline" }, scope);
    assert.equal(first.status, 200);
    const rt = first.body.refresh_token as string;
    assert.ok(rt);
    const again = await refresh(rt);
    assert.equal(again.status, 200);
    assert.equal(await pullStatus(again.token!, "contoso/other"), 200);
    assert.equal(typeof again.body.refresh_token, "string", "docker keeps a refresh token current");
  });

  it("without access_type=offline there is no refresh token", async () => {
    const t = await postToken(w, { grant_type: "password", username: "admin", password: "s3cret-Pass" }, scope);
    assert.equal(t.status, 200);
    assert.equal(t.body.refresh_token, undefined);
  });

  it("disabling the token retires its refresh tokens", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "disablebot", scopeMap: "_repositories_pull" });
    const rt = (await postToken(w, { grant_type: "password", username: "disablebot", password: t.passwords[0].value, access_type: "offline" }, scope)).body.refresh_token as string;
    await updateToken(LOCAL_OPERATOR, { registry: "contoso", name: "disablebot", status: "disabled" });
    const r = await refresh(rt);
    assert.equal(r.status, 401);
    assert.equal(r.token, null);
    assert.equal((await getToken(w, scope, { user: "disablebot", password: t.passwords[0].value })).status, 401);
  });

  it("rotating the password that was used retires its refresh tokens", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "contoso", name: "rotaterefresh", scopeMap: "_repositories_pull" });
    const rt1 = (await postToken(w, { grant_type: "password", username: "rotaterefresh", password: t.passwords[0].value, access_type: "offline" }, scope)).body.refresh_token as string;
    const rt2 = (await postToken(w, { grant_type: "password", username: "rotaterefresh", password: t.passwords[1].value, access_type: "offline" }, scope)).body.refresh_token as string;
    await generateTokenPassword(LOCAL_OPERATOR, { registry: "contoso", name: "rotaterefresh", password: 1 });
    assert.equal((await refresh(rt1)).status, 401);
    assert.equal((await refresh(rt2)).status, 200, "password 2's refresh token is unaffected");
  });

  it("after the role assignment is deleted, refreshing grants nothing", async () => {
    await createUser("roleuser", "roleuser-password");
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: "roleuser", role: "AcrPull", scope: "/registries/contoso" });
    const first = await postToken(w, { grant_type: "password", username: "roleuser", password: "roleuser-password", access_type: "offline" }, scope);
    assert.equal(await pullStatus(first.token!, "contoso/other"), 200);
    await deleteRoleAssignment(LOCAL_OPERATOR, { assignee: "roleuser", role: "AcrPull", scope: "/registries/contoso" });
    // The credential itself is still valid, so the refresh succeeds, but permissions
    // are evaluated afresh: the new access token carries nothing.
    const r = await refresh(first.body.refresh_token as string);
    assert.equal(r.status, 200);
    assert.deepEqual(r.access, []);
    assert.equal(await pullStatus(r.token!, "contoso/other"), 401);
    const basic = await getToken(w, scope, { user: "roleuser", password: "roleuser-password" });
    assert.deepEqual(basic.access, []);
  });

  it("garbage and tampered refresh tokens are refused", async () => {
    assert.equal((await refresh("not-a-jwt")).status, 401);
    const rt = (await postToken(w, { grant_type: "password", username: "admin", password: "s3cret-Pass", access_type: "offline" }, scope)).body.refresh_token as string;
    const [h, p, s] = rt.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    claims.sub = "user:someone-else";
    assert.equal((await refresh(`${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`)).status, 401);
  });
});

describe("other principals: registry admin user and service principals", () => {
  it("the admin user (off by default) pulls and pushes only in its own registry; renewing its password retires refresh tokens", async () => {
    const off = await getToken(w, ["repository:contoso/other:pull"], { user: "contoso", password: "anything-at-all" });
    assert.equal(off.status, 401, "admin user disabled by default");
    const { passwords } = await updateRegistry(LOCAL_OPERATOR, "contoso", { adminUserEnabled: true });
    const [p1, p2] = passwords.map((p) => p.value);
    const t = await getToken(w, ["repository:contoso/other:pull,push,delete", "repository:fabrikam/aspnetapp:pull"], { user: "contoso", password: p1 });
    const by = Object.fromEntries(t.access.map((a) => [a.name, a.actions.sort()]));
    assert.deepEqual(by, { "contoso/other": ["metadata_read", "metadata_write", "pull", "push"] }, "no delete, nothing on fabrikam");
    assert.equal(await pullStatus(t.token!, "contoso/other"), 200);
    assert.equal(await pullStatus(t.token!, "fabrikam/aspnetapp"), 401);
    const rt = (await postToken(w, { grant_type: "password", username: "contoso", password: p1, access_type: "offline" }, ["repository:contoso/other:pull"])).body.refresh_token as string;
    await renewAdminPassword(LOCAL_OPERATOR, "contoso", 1);
    assert.equal((await postToken(w, { grant_type: "refresh_token", refresh_token: rt }, ["repository:contoso/other:pull"])).status, 401);
    assert.equal((await getToken(w, [], { user: "contoso", password: p1 })).status, 401);
    assert.equal((await getToken(w, [], { user: "contoso", password: p2 })).status, 200);
    await updateRegistry(LOCAL_OPERATOR, "contoso", { adminUserEnabled: false });
    assert.equal((await getToken(w, [], { user: "contoso", password: p2 })).status, 401, "switching the admin user off refuses it");
  });

  it("a service principal logs in with client id + secret and gets its roles; disabled, it is refused", async () => {
    const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci pipeline" });
    await createRoleAssignment(LOCAL_OPERATOR, { assignee: sp.clientId, role: "AcrPush", scope: "/registries/contoso/repositories/other" });
    const creds = { user: sp.clientId, password: sp.secret };
    const t = await getToken(w, ["repository:contoso/other:pull,push,delete", "repository:contoso/team/a:pull"], creds);
    assert.deepEqual(t.access.map((a) => [a.name, a.actions.sort()]), [["contoso/other", ["metadata_read", "metadata_write", "pull", "push"]]]);
    await bearer(t.token!).pushImage("contoso/other", "from-sp");
    await setServicePrincipalDisabled(LOCAL_OPERATOR, sp.clientId, true);
    assert.equal((await getToken(w, [], creds)).status, 401);
  });
});
