import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { config } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { allowInserts, refuseInserts } from "../helpers/refuse-inserts";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { updateRegistry } from "../../lib/services/registry-settings";
import { createToken } from "../../lib/services/tokens";
import { api, pushPull, rawRequest, token } from "../helpers/registry-fixtures";
import { errorCode, getToken, useServerDatabase } from "../helpers/access";
import { accessLine, waitForLog } from "../helpers/log-lines";
import { parseAnswer, rawExchange } from "../helpers/raw-http";
import { ADMIN_PASSWORD, basicAuth, startWharf, type Wharf } from "../helpers/wharf";

/** Issue 11's edge findings, each through the real server. */
describe("HTTP edge hardening", () => {
  let w: Wharf;
  let pullTwo: string;
  const admin = { user: "admin", password: ADMIN_PASSWORD };

  before(async () => {
    w = await startWharf({ env: { WHARF_SKU_LIMITS: JSON.stringify({ Premium: { readOpsPerMinute: 3 } }) } });
    useServerDatabase(w);
    for (const name of ["regone", "regtwo", "otherreg"]) await db().registry.create({ data: { name } });
    await db().registry.create({ data: { name: "anonreg", sku: "Standard" } });
    // Before the server first reads this registry's settings (it keeps them for 2 s).
    await updateRegistry(LOCAL_OPERATOR, "anonreg", { anonymousPullEnabled: true });
    for (const name of ["slowprem", "netten"]) await db().registry.create({ data: { name, sku: "Premium" } });
    await updateRegistry(LOCAL_OPERATOR, "netten", { networkDefaultAction: "Deny", networkRules: ["10.0.0.0/8"] });
    const a = api(w, await token(w, [pushPull("regtwo/app"), pushPull("anonreg/app"), pushPull("slowprem/app")]));
    await a.pushImage("regtwo/app", "v1");
    await a.pushImage("anonreg/app", "v1");
    await a.pushImage("slowprem/app", "v1");
    pullTwo = await token(w, ["repository:regtwo/app:pull"]);
  });
  after(async () => {
    await db().$disconnect();
    await w?.stop();
  });

  it("paths with dot segments or encoded '/' and '.' are refused as NAME_INVALID, never rewritten and served", async () => {
    const plain = await rawRequest(w, { method: "GET", path: "/v2/regtwo/app/tags/list", headers: { Authorization: `Bearer ${pullTwo}` } });
    assert.equal(plain.status, 200, plain.body);
    for (const p of [
      "/v2/regone/../regtwo/app/tags/list",
      "/v2/regone/%2e%2e/regtwo/app/tags/list",
      "/v2/regone/%2E%2e/regtwo/app/tags/list",
      "/v2/regtwo/./app/tags/list",
      "/v2/regtwo%2fapp/tags/list",
      "/v2/regtwo%2Fapp/manifests/v1",
      "/v2/regtwo/app%2e/tags/list",
      "/v2/regone/..%5cregtwo/app/tags/list",
    ]) {
      const r = await rawRequest(w, { method: "GET", path: p, headers: { Authorization: `Bearer ${pullTwo}` } });
      assert.equal(r.status, 400, `${p}: ${r.status} ${r.body}`);
      const err = JSON.parse(r.body).errors[0];
      assert.equal(err.code, "NAME_INVALID", p);
      assert.match(err.message, /'\.' or '\.\.' segments, or an encoded/);
    }
  });

  it("requests Node's parser refuses get an OCI JSON error: bad Content-Length → 400, headers over 16 KiB → 431", async () => {
    const bad = parseAnswer(await rawExchange(w.port, "PUT /v2/regtwo/app/manifests/v2 HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n"));
    assert.equal(bad.status, 400);
    assert.match(bad.headers, /Content-Type: application\/json/i);
    assert.equal(bad.body.errors[0].code, "UNSUPPORTED");
    assert.match(bad.body.errors[0].message, /Content-Length/);
    const twice = parseAnswer(await rawExchange(w.port, "PUT /v2/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    assert.equal(twice.status, 400);
    const big = parseAnswer(await rawExchange(w.port, `GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
    assert.equal(big.status, 431);
    assert.equal(big.body.errors[0].code, "UNSUPPORTED");
    assert.match(big.body.errors[0].message, /headers are larger/);
  });

  it("_catalog lists only what the principal itself may read: anonymous pull lists nothing to a credential of another registry", async () => {
    // anonreg is open to anonymous pulls…
    const anonPull = await getToken(w, ["repository:anonreg/app:pull"]);
    assert.equal((await api(w, anonPull.token!).fetch("/v2/anonreg/app/manifests/v1", { method: "HEAD" })).status, 200);
    // …which lets anyone pull, not enumerate: a token of another registry lists none of it.
    const t = await createToken(LOCAL_OPERATOR, { registry: "otherreg", name: "otherbot", scopeMap: "_repositories_pull" });
    const bot = await getToken(w, ["registry:catalog:*"], { user: "otherbot", password: t.passwords[0].value });
    assert.equal(bot.status, 200);
    const r = await api(w, bot.token!).fetch("/v2/_catalog");
    assert.equal(r.status, 200);
    assert.deepEqual(((await r.json()) as { repositories: string[] }).repositories, []);
    // Its own registry's repositories it does see, once there are some.
    const adminTok = await getToken(w, ["registry:catalog:*"], admin);
    const all = ((await (await api(w, adminTok.token!).fetch("/v2/_catalog")).json()) as { repositories: string[] }).repositories;
    assert.ok(all.includes("anonreg/app") && all.includes("regtwo/app"), all.join(" "));
    // Anonymous callers get no catalog at all.
    const anon = await getToken(w, ["registry:catalog:*"]);
    assert.equal((await api(w, anon.token!).fetch("/v2/_catalog")).status, 401);
  });

  it("without WHARF_TRUST_PROXY, X-Forwarded-For is ignored; a network refusal names the caller's address, not the allow-list", async () => {
    const r = await fetch(`${w.url}/v2/netten/app/manifests/v1`, { headers: { "X-Forwarded-For": "10.1.2.3" } });
    assert.equal(r.status, 403);
    const msg = ((await r.json()) as { errors: { code: string; message: string }[] }).errors[0];
    assert.equal(msg.code, "DENIED");
    assert.match(msg.message, /address 127\.0\.0\.1 is not allowed to reach registry netten.*ask the registry's owner/);
    assert.doesNotMatch(msg.message, /10\.0\.0\.0/);
  });

  it("unauthenticated requests do not spend a registry's operation budget; authorised ones do", async () => {
    for (let i = 0; i < 8; i++) {
      const r = await fetch(`${w.url}/v2/slowprem/app/manifests/v1`);
      assert.equal(r.status, 401, `unauthenticated request ${i}`);
    }
    // A credential for another repository does not spend it either.
    const other = api(w, pullTwo);
    for (let i = 0; i < 4; i++) assert.equal((await other.fetch("/v2/slowprem/app/manifests/v1")).status, 401);
    const a = api(w, await token(w, ["repository:slowprem/app:pull"]));
    for (let i = 1; i <= 3; i++) assert.equal((await a.fetch("/v2/slowprem/app/manifests/v1")).status, 200, `authorised read ${i}`);
    const over = await a.fetch("/v2/slowprem/app/manifests/v1");
    assert.equal(over.status, 429);
    assert.equal(await errorCode(over), "TOOMANYREQUESTS");
  });

  it("an unexpected error (the database refuses a write) answers 500 UNKNOWN and logs one error line with the request id", async () => {
    const a = api(w, await token(w, [pushPull("regtwo/app")]));
    const { manifest } = await a.pushImage("regtwo/app", "v1");
    // A real driver error on the server's next manifest insert.
    await refuseInserts(db(), config().databaseUrl, "Manifest", "refuse_manifests", "disk says no");
    try {
      const changed = Buffer.from(JSON.stringify({ ...JSON.parse(manifest.toString()), annotations: { "test.broken": "yes" } }));
      const r = await a.pushManifest("regtwo/app", "v2", changed);
      assert.equal(r.status, 500);
      const id = r.headers.get("x-request-id")!;
      const body = (await r.json()) as { errors: { code: string; message: string }[] };
      assert.equal(body.errors[0].code, "UNKNOWN");
      assert.ok(body.errors[0].message.includes(id), body.errors[0].message);
      const line = await waitForLog(w, (lines) => lines.find((l) => l.level === 50 && l.reqId === id), "the error line");
      assert.deepEqual([line.method, line.route, line.registry, line.repository], ["PUT", "manifest", "regtwo", "app"]);
      assert.match(JSON.stringify(line.err), /disk says no/);
      assert.equal((await accessLine(w, id)).status, 500);
      // The connection is still good for the next request, and nothing stored was lost.
      assert.equal((await a.fetch("/v2/regtwo/app/manifests/v1", { method: "HEAD" })).status, 200);
    } finally {
      await allowInserts(db(), config().databaseUrl, "Manifest", "refuse_manifests");
    }
    assert.ok(!w.output().includes(basicAuth("admin", ADMIN_PASSWORD).slice(6)));
  });
});
