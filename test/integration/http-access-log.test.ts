import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ADMIN_PASSWORD, basicAuth, startWharf, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout } from "../helpers/oci-layout";
import { accessLine, logLines, waitForLog } from "../helpers/log-lines";

/**
 * The access log through the real server: skopeo pushes and pulls with a
 * password, the test logs in itself every way the token endpoint allows, and
 * the JSON lines must describe each request without a single secret in them.
 */
describe("structured logging and the access log", () => {
  let w: Wharf;
  let tmp: string;
  let layout: OciLayout;
  const secrets: string[] = [ADMIN_PASSWORD, basicAuth("admin", ADMIN_PASSWORD).slice("Basic ".length)];

  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-accesslog-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    layout.tag({ v1: layout.image({ fileContent: "logged, but not its secrets\n" }) });
    w = await startWharf({ env: { WHARF_LOG_LEVEL: "debug" } });
    await createRegistryRow(w, "logreg");
  });
  after(async () => {
    await w?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes JSON lines (stdout is not a terminal), the start-up line among them", () => {
    const ready = logLines(w).find((l) => /Wharf is ready/.test(l.msg));
    assert.ok(ready, w.output().slice(0, 2000));
    assert.equal(ready.level, 30);
    assert.equal(typeof ready.time, "number");
  });

  it("a skopeo push and pull: the pull's lines carry principal, repository, status and bytes", async () => {
    await skopeo("copy", "--dest-creds", `admin:${ADMIN_PASSWORD}`, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${w.host}/logreg/app:v1`);
    const mark = logLines(w).length;
    await skopeo("copy", "--src-creds", `admin:${ADMIN_PASSWORD}`, "--src-tls-verify=false", `docker://${w.host}/logreg/app:v1`, `oci:${path.join(tmp, "pulled")}:v1`);
    const pulled = await waitForLog(
      w,
      (lines) => {
        const mine = lines.slice(mark).filter((l) => l.msg === "request");
        const manifest = mine.find((l) => l.route === "manifest" && l.method === "GET" && l.status === 200);
        const blobs = mine.filter((l) => l.route === "blob" && l.method === "GET" && l.status === 200);
        return manifest && blobs.length >= 2 ? { manifest, blobs, token: mine.find((l) => l.route === "token") } : undefined;
      },
      "the pull's manifest and blob GETs",
    );
    for (const line of [pulled.manifest, ...pulled.blobs]) {
      assert.equal(line.principal, "user:admin");
      assert.equal(line.registry, "logreg");
      assert.equal(line.repository, "app");
      assert.equal(line.client, "127.0.0.1");
      assert.ok((line.bytes as number) > 0, JSON.stringify(line));
      assert.equal(typeof line.ms, "number");
      assert.match(line.reqId as string, /^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
    }
    // Blob lines count what went on the wire: a pulled blob's size plus the answer's status line and headers.
    const sizes = fs.readdirSync(path.join(tmp, "pulled", "blobs", "sha256")).map((f) => fs.statSync(path.join(tmp, "pulled", "blobs", "sha256", f)).size);
    for (const b of pulled.blobs) {
      const n = b.bytes as number;
      assert.ok(sizes.some((size) => n > size && n < size + 2048), `blob line bytes ${n} is no pulled blob's size (${sizes.join(",")}) plus headers`);
    }
    assert.ok(pulled.token, "the login at /oauth2/token has its line too");
    assert.equal(pulled.token.principal, "user:admin");
    assert.equal(pulled.token.status, 200);
  });

  it("exactly one line per request, matching the X-Request-Id it was answered with", async () => {
    const ids: string[] = [];
    for (const p of ["/v2/", "/v2/logreg/app/manifests/v1", "/v2/logreg/nope/tags/list", "/oauth2/token?service=x", "/v2/nothing/here"]) {
      const r = await fetch(`${w.url}${p}`);
      await r.arrayBuffer();
      const id = r.headers.get("x-request-id");
      assert.ok(id, p);
      ids.push(id);
    }
    for (const id of ids) await accessLine(w, id);
    const lines = logLines(w).filter((l) => l.msg === "request");
    for (const id of ids) assert.equal(lines.filter((l) => l.reqId === id).length, 1, id);
    const unauth = lines.find((l) => l.reqId === ids[1])!;
    assert.deepEqual([unauth.status, unauth.principal, unauth.route, unauth.registry, unauth.repository], [401, "anonymous", "manifest", "logreg", "app"]);
  });

  it("no line holds a password, a Basic credential, an issued token or a query secret", async () => {
    const service = `service=${encodeURIComponent(w.host)}`;
    const scope = "scope=repository:logreg/app:pull";
    // GET with Basic credentials.
    const basic = (await (await fetch(`${w.url}/oauth2/token?${service}&${scope}`, { headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } })).json()) as { token: string };
    // The OAuth2 form, with a refresh token, then the refresh grant.
    const form = async (body: Record<string, string>) => {
      const r = await fetch(`${w.url}/oauth2/token`, { method: "POST", body: new URLSearchParams({ service: w.host, scope: "repository:logreg/app:pull", ...body }) });
      assert.equal(r.status, 200);
      return (await r.json()) as { access_token: string; refresh_token?: string };
    };
    const password = await form({ grant_type: "password", username: "admin", password: ADMIN_PASSWORD, access_type: "offline", client_id: "t" });
    assert.ok(password.refresh_token);
    const refreshed = await form({ grant_type: "refresh_token", refresh_token: password.refresh_token!, client_id: "t" });
    secrets.push(basic.token, password.access_token, password.refresh_token!, refreshed.access_token);
    // Secrets in a query string (clients do get this wrong) and in a failed login.
    const q = await fetch(`${w.url}/oauth2/token?${service}&password=${ADMIN_PASSWORD}&refresh_token=${password.refresh_token}`);
    const failed = await fetch(`${w.url}/oauth2/token?${service}`, { headers: { Authorization: basicAuth("admin", "Wrong-But-Secret-42") } });
    secrets.push("Wrong-But-Secret-42", basicAuth("admin", "Wrong-But-Secret-42").slice(6));
    assert.equal(failed.status, 401);
    // Tokens used on /v2, including on a failing request (an unexpected path).
    const used: string[] = [];
    for (const t of [basic.token, refreshed.access_token]) {
      const r = await fetch(`${w.url}/v2/logreg/app/manifests/v1?token=${t}`, { headers: { Authorization: `Bearer ${t}`, Accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(r.status, 200);
      used.push(r.headers.get("x-request-id")!);
    }
    const last = await accessLine(w, used[1]);
    await accessLine(w, q.headers.get("x-request-id")!);
    await accessLine(w, failed.headers.get("x-request-id")!);
    assert.equal(last.principal, "user:admin");
    const out = w.output();
    for (const s of secrets) assert.ok(!out.includes(s), `the server output contains a secret (${s.slice(0, 6)}…)`);
    assert.ok(!/authorization/i.test(out), "no Authorization header in the log");
  });

  it("WHARF_LOG_LEVEL=debug lets debug lines through: a refusal says why, under the request's id", async () => {
    const r = await fetch(`${w.url}/v2/logreg/app/tags/list`);
    assert.equal(r.status, 401);
    const id = r.headers.get("x-request-id")!;
    const why = await waitForLog(w, (lines) => lines.find((l) => l.level === 20 && l.reqId === id), "the challenge's debug line");
    assert.equal(why.scope, "repository:logreg/app:pull");
  });
});
