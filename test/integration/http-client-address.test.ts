import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "../../lib/core/db";
import { LOCAL_OPERATOR } from "../../lib/auth/actor";
import { updateRegistry } from "../../lib/services/registry-settings";
import { useServerDatabase } from "../helpers/access";
import { rawRequest } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, basicAuth, startWharf, type Wharf } from "../helpers/wharf";

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * A reverse proxy as nginx does it ($proxy_add_x_forwarded_for): it appends the
 * address of whoever connected to it to X-Forwarded-For, sets X-Forwarded-Proto,
 * and connects to Wharf from 127.0.0.1, the one proxy Wharf trusts.
 */
function startProxy(target: Wharf): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const peer = req.socket.remoteAddress!.replace(/^::ffff:/, "");
    const xff = req.headers["x-forwarded-for"];
    const headers = { ...req.headers, "x-forwarded-for": xff ? `${xff}, ${peer}` : peer, "x-forwarded-proto": "https" };
    const up = http.request({ host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers, localAddress: "127.0.0.1" }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** One request from a chosen loopback address (Linux routes all of 127/8 to us). */
function request(port: number, from: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return rawRequest({ port }, { ...opts, method: opts.method ?? "GET", localAddress: from });
}

describe("the client address behind a trusted proxy (WHARF_TRUST_PROXY)", () => {
  let w: Wharf;
  let proxy: http.Server;
  let proxyPort: number;
  const viaProxy = (from: string, opts: Parameters<typeof request>[2]) => request(proxyPort, from, opts);

  before(async () => {
    w = await startWharf({
      env: { WHARF_TRUST_PROXY: "127.0.0.1", WHARF_TOKEN_MAX_FAILURES: "3", WHARF_ANONYMOUS_RATE_PER_MINUTE: "5", WHARF_LOGIN_MAX_FAILURES: "2" },
    });
    useServerDatabase(w);
    await db().registry.create({ data: { name: "netproxy", sku: "Premium" } });
    await updateRegistry(LOCAL_OPERATOR, "netproxy", { networkDefaultAction: "Deny", networkRules: ["10.0.0.0/8", "127.0.0.2/32"] });
    proxy = await startProxy(w);
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  after(async () => {
    proxy?.close();
    await db().$disconnect();
    await w?.stop();
  });

  it("an X-Forwarded-For entry the client wrote does not pass a Deny network rule; the hop the proxy saw decides", async () => {
    const path = "/v2/netproxy/app/manifests/v1";
    // The client at 127.0.0.3 claims to be 10.1.2.3 (issue 11: this used to pass).
    for (const claim of ["10.1.2.3", "10.1.2.3, 127.0.0.1", "10.1.2.3, 127.0.0.2"]) {
      const r = await viaProxy("127.0.0.3", { path, headers: { "X-Forwarded-For": claim } });
      assert.equal(r.status, 403, `claim ${claim}: ${r.body}`);
      assert.match(JSON.parse(r.body).errors[0].message, /address 127\.0\.0\.3 is not allowed/);
    }
    // The allowed client, through the proxy: past the rule (then asked to log in).
    assert.equal((await viaProxy("127.0.0.2", { path })).status, 401);
    assert.equal((await viaProxy("127.0.0.2", { path, headers: { "X-Forwarded-For": "203.0.113.50" } })).status, 401);
  });

  it("a caller that is not the trusted proxy cannot claim any address, nor https", async () => {
    const r = await request(w.port, "127.0.0.4", { path: "/v2/netproxy/app/manifests/v1", headers: { "X-Forwarded-For": "127.0.0.2", "X-Forwarded-Proto": "https" } });
    assert.equal(r.status, 403);
    const direct = await request(w.port, "127.0.0.4", { path: "/v2/", headers: { "X-Forwarded-Proto": "https" } });
    assert.match(String(direct.headers["www-authenticate"]), /realm="http:\/\//);
    const proxied = await viaProxy("127.0.0.4", { path: "/v2/" });
    assert.match(String(proxied.headers["www-authenticate"]), /realm="https:\/\//);
  });

  it("failed logins at /oauth2/token lock out the real client, whatever it writes in X-Forwarded-For, and only it", async () => {
    // Clients name the login server they reach: the proxy's.
    const path = `/oauth2/token?service=${encodeURIComponent(`127.0.0.1:${proxyPort}`)}`;
    // WHARF_TOKEN_MAX_FAILURES=3: three failures are answered, the budget is then spent.
    for (let i = 1; i <= 3; i++) {
      const r = await viaProxy("127.0.0.5", { path, headers: { Authorization: basicAuth("admin", `wrong-${i}`), "X-Forwarded-For": `10.9.9.${i}` } });
      assert.equal(r.status, 401, `failure ${i}`);
    }
    const locked = await viaProxy("127.0.0.5", { path, headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD), "X-Forwarded-For": "10.9.9.99" } });
    assert.equal(locked.status, 429, locked.body);
    assert.match(JSON.parse(locked.body).errors[0].message, /from 127\.0\.0\.5/);
    // Another client behind the same proxy is not locked out.
    assert.equal((await viaProxy("127.0.0.6", { path, headers: { Authorization: basicAuth("admin", ADMIN_PASSWORD) } })).status, 200);
  });

  it("the anonymous rate limit counts the real client, not the addresses it claims", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await viaProxy("127.0.0.7", { path: "/v2/", headers: { "X-Forwarded-For": `10.8.8.${i}` } })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.equal((await viaProxy("127.0.0.8", { path: "/v2/" })).status, 401);
  });

  it("the portal's sign-in throttle sees the same address; a client-sent x-wharf-client-ip is overwritten", async () => {
    const signIn = async (from: string, spoof: string) => {
      const csrf = await viaProxy(from, { path: "/api/auth/csrf" });
      const cookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
      const form = new URLSearchParams({ csrfToken: JSON.parse(csrf.body).csrfToken, username: "admin", password: "wrong-password" }).toString();
      const r = await viaProxy(from, {
        method: "POST",
        path: "/api/auth/callback/credentials",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "x-wharf-client-ip": spoof, "X-Forwarded-For": spoof },
        body: form,
      });
      assert.equal(r.status, 302, r.body);
      return String(r.headers.location);
    };
    const codes: string[] = [];
    for (let i = 1; i <= 3; i++) codes.push(/code=throttled/.test(await signIn("127.0.0.9", `192.0.2.${i}`)) ? "throttled" : "refused");
    assert.deepEqual(codes, ["refused", "refused", "throttled"]);
    assert.doesNotMatch(await signIn("127.0.0.10", "127.0.0.9"), /code=throttled/);
  });
});

describe("WHARF_TRUST_PROXY=true", () => {
  it("is refused at start with a message saying to list the proxies", async () => {
    const started = await startWharf({ env: { WHARF_TRUST_PROXY: "true" } }).then(
      async (w) => {
        await w.stop();
        return "started";
      },
      (err: Error) => err.message,
    );
    assert.match(started, /WHARF_TRUST_PROXY: .*list your proxies' addresses instead/);
  });
});
