import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { db } from "../../lib/core/db";
import { WharfError } from "../../lib/core/errors";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { updateRegistry } from "../../lib/services/registry-settings";
import { createToken } from "../../lib/services/tokens";
import { api, pushPull, token } from "../helpers/registry-fixtures";
import { errorCode, getToken, useServerDatabase } from "../helpers/access";
import { ADMIN_PASSWORD, startWharf, type Wharf } from "../helpers/wharf";

const run = promisify(execFile);

/** Anonymous pull (with real skopeo), SKU rules, network rules and throttling, through the real server. */
describe("anonymous pull, SKUs and network rules", () => {
  let w: Wharf;
  let tmp: string;
  let digest: string;
  const admin = { user: "admin", password: ADMIN_PASSWORD };

  const skopeoInspectAnonymously = async (ref: string) => {
    const { stdout } = await run(
      "skopeo",
      ["--policy", path.join(tmp, "policy.json"), "--registries-conf", path.join(tmp, "registries.conf"), "inspect", "--no-creds", "--tls-verify=false", `docker://${w.host}/${ref}`],
      { env: { ...process.env, REGISTRY_AUTH_FILE: path.join(tmp, "auth.json"), HOME: tmp } },
    );
    return JSON.parse(stdout) as { Digest: string };
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-anon-"));
    fs.writeFileSync(path.join(tmp, "policy.json"), JSON.stringify({ default: [{ type: "insecureAcceptAnything" }] }));
    fs.writeFileSync(path.join(tmp, "registries.conf"), "unqualified-search-registries = []\n");
    fs.writeFileSync(path.join(tmp, "auth.json"), "{}");
    w = await startWharf();
    useServerDatabase(w);
    await db().registry.create({ data: { name: "pubstd", sku: "Standard" } });
    await db().registry.create({ data: { name: "pubbasic", sku: "Basic" } });
    // Network rules are set before the server first sees these registries, so no
    // request meets a settings copy from before the change.
    for (const name of ["netdeny", "netallow", "netoff"]) await db().registry.create({ data: { name, sku: "Premium" } });
    await updateRegistry(LOCAL_OPERATOR, "netdeny", { networkDefaultAction: "Deny", networkRules: ["10.0.0.0/8", "2001:db8::/32"] });
    await updateRegistry(LOCAL_OPERATOR, "netallow", { networkDefaultAction: "Deny", networkRules: ["127.0.0.0/8"] });
    await updateRegistry(LOCAL_OPERATOR, "netoff", { publicNetworkAccess: "Disabled" });
    const a = api(w, await token(w, [pushPull("pubstd/app"), pushPull("pubbasic/app"), pushPull("netallow/app")]));
    digest = (await a.pushImage("pubstd/app", "v1")).digest;
    await a.pushImage("pubbasic/app", "v1");
    await a.pushImage("netallow/app", "v1");
    // Content in netdeny, written straight to the database (nobody here may push there).
    const reg = await db().registry.findUniqueOrThrow({ where: { name: "netdeny" } });
    const repo = await db().repository.create({ data: { registryId: reg.id, name: "secret-names" } });
    await db().manifest.create({ data: { repositoryId: repo.id, digest: `sha256:${"0".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 2 } });
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("anonymous pull off (the default): skopeo --no-creds is refused", async () => {
    await assert.rejects(skopeoInspectAnonymously("pubstd/app:v1"), /unauthori[sz]ed|authentication required|denied/i);
  });

  it("anonymous pull on (Standard): skopeo --no-creds inspects; anonymous push is still refused", async () => {
    await updateRegistry(LOCAL_OPERATOR, "pubstd", { anonymousPullEnabled: true });
    assert.equal((await skopeoInspectAnonymously("pubstd/app:v1")).Digest, digest);
    const t = await getToken(w, ["repository:pubstd/app:pull,push,delete"]);
    assert.deepEqual(t.access, [{ type: "repository", name: "pubstd/app", actions: ["pull", "metadata_read"] }]);
    assert.equal((await api(w, t.token!).fetch("/v2/pubstd/app/blobs/uploads/", { method: "POST" })).status, 401);
    // Wrong credentials are refused even though anonymous pull would allow pulling.
    assert.equal((await getToken(w, ["repository:pubstd/app:pull"], { user: "admin", password: "wrong-password" })).status, 401);
  });

  it("turning anonymous pull off again closes it for the next token", async () => {
    await updateRegistry(LOCAL_OPERATOR, "pubstd", { anonymousPullEnabled: false });
    await assert.rejects(skopeoInspectAnonymously("pubstd/app:v1"), /unauthori[sz]ed|authentication required|denied/i);
  });

  it("Basic SKU: enabling anonymous pull is refused, and a stray flag grants nothing", async () => {
    await assert.rejects(
      updateRegistry(LOCAL_OPERATOR, "pubbasic", { anonymousPullEnabled: true }),
      (e: unknown) => e instanceof WharfError && e.code === "INVALID" && /Standard/.test(e.message),
    );
    // A row that says otherwise (e.g. written before a downgrade) still gives nothing on Basic.
    await db().registry.update({ where: { name: "pubbasic" }, data: { anonymousPullEnabled: true } });
    const t = await getToken(w, ["repository:pubbasic/app:pull"]);
    assert.deepEqual(t.access, []);
    await assert.rejects(skopeoInspectAnonymously("pubbasic/app:v1"), /unauthori[sz]ed|authentication required|denied/i);
  });

  it("network rule excluding 127.0.0.1: 403 DENIED on /oauth2 and on /v2, without the allow-list", async () => {
    const t = await getToken(w, ["repository:netdeny/app:pull"], admin);
    assert.equal(t.status, 403);
    const msg = (t.body.errors as { code: string; message: string }[])[0];
    assert.equal(msg.code, "DENIED");
    assert.match(msg.message, /127\.0\.0\.1 is not allowed to reach registry netdeny/);
    assert.doesNotMatch(msg.message, /10\.0\.0\.0|2001:db8/, "the allow-list is not shown to callers");
    const v2 = await fetch(`${w.url}/v2/netdeny/app/manifests/v1`);
    assert.equal(v2.status, 403);
    const body = (await v2.json()) as { errors: { code: string; message: string }[] };
    assert.equal(body.errors[0].code, "DENIED");
    assert.match(body.errors[0].message, /127\.0\.0\.1 is not allowed to reach registry netdeny/);
    assert.doesNotMatch(body.errors[0].message, /10\.0\.0\.0|2001:db8/, "the allow-list is not shown to callers");
    // Also with a valid token for another registry in hand.
    const other = await token(w, [pushPull("netallow/app")]);
    assert.equal((await api(w, other).fetch("/v2/netdeny/app/tags/list")).status, 403);
  });

  it("_catalog (path-style, across registries) leaves out registries the caller's address may not reach", async () => {
    const t = await getToken(w, ["registry:catalog:*"], admin);
    const r = await api(w, t.token!).fetch("/v2/_catalog");
    assert.equal(r.status, 200);
    const repos = ((await r.json()) as { repositories: string[] }).repositories;
    assert.ok(repos.includes("netallow/app"), repos.join(" "));
    assert.ok(!repos.some((n) => n.startsWith("netdeny/")), `netdeny's names leaked: ${repos.join(" ")}`);
  });

  it("a registry-bound credential is refused at login when its registry excludes the caller", async () => {
    const t = await createToken(LOCAL_OPERATOR, { registry: "netdeny", name: "netbot", scopeMap: "_repositories_pull" });
    const r = await getToken(w, [], { user: "netbot", password: t.passwords[0].value });
    assert.equal(r.status, 403);
    assert.equal((r.body.errors as { code: string }[])[0].code, "DENIED");
  });

  it("public network access Disabled: refused, naming the setting", async () => {
    const r = await fetch(`${w.url}/v2/netoff/app/manifests/v1`);
    assert.equal(r.status, 403);
    assert.match(((await r.json()) as { errors: { message: string }[] }).errors[0].message, /public access Disabled/);
  });

  it("with 127.0.0.0/8 allowed, pulling works", async () => {
    const t = await getToken(w, ["repository:netallow/app:pull"], admin);
    assert.equal(t.status, 200);
    assert.equal((await api(w, t.token!).fetch("/v2/netallow/app/manifests/v1")).status, 200);
  });
});

describe("throttling by SKU (WHARF_SKU_LIMITS)", () => {
  let w: Wharf;

  before(async () => {
    w = await startWharf({ env: { WHARF_SKU_LIMITS: JSON.stringify({ Basic: { readOpsPerMinute: 5 } }) } });
    useServerDatabase(w);
    await db().registry.create({ data: { name: "slowbasic", sku: "Basic" } });
    await db().registry.create({ data: { name: "faststandard", sku: "Standard" } });
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("the sixth read in a minute on a Basic registry gets 429 TOOMANYREQUESTS with Retry-After and RateLimit-*", async () => {
    const a = api(w, await token(w, [pushPull("slowbasic/app"), pushPull("faststandard/app")]));
    await a.pushImage("slowbasic/app", "v1"); // writes have their own budget
    for (let i = 1; i <= 5; i++) assert.equal((await a.fetch("/v2/slowbasic/app/manifests/v1")).status, 200, `read ${i}`);
    const r = await a.fetch("/v2/slowbasic/app/manifests/v1");
    assert.equal(r.status, 429);
    assert.equal(await errorCode(r), "TOOMANYREQUESTS");
    const retry = Number(r.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(r.headers.get("ratelimit-limit"), "5");
    assert.equal(r.headers.get("ratelimit-remaining"), "0");
    assert.ok(Number(r.headers.get("ratelimit-reset")) >= 1);
    // Writes and other registries are not affected.
    assert.equal((await a.fetch("/v2/slowbasic/app/blobs/uploads/", { method: "POST" })).status, 202);
    await a.pushImage("faststandard/app", "v1");
    for (let i = 0; i < 7; i++) assert.equal((await a.fetch("/v2/faststandard/app/manifests/v1", { method: "HEAD" })).status, 200);
  });
});
