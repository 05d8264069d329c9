import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import net from "node:net";
import { api, createRegistryRow, pushPull, sha256, token } from "../helpers/registry-fixtures";
import { logLines, waitForLog } from "../helpers/log-lines";
import { startWharf, type Wharf } from "../helpers/wharf";
import { parseAnswer, rawExchange } from "../helpers/raw-http";

/** A raw connection whose received bytes and closing can be awaited. */
function connect(port: number, localAddress = "127.0.0.1") {
  const s = net.connect({ host: "127.0.0.1", port, localAddress });
  let received = "";
  s.setEncoding("utf8");
  s.on("data", (d) => (received += d));
  s.on("error", () => {});
  const closed = new Promise<void>((resolve) => s.once("close", () => resolve()));
  const connected = new Promise<void>((resolve) => s.once("connect", () => resolve()));
  return { socket: s, connected, closed, received: () => received };
}

/** Waits until `pred` holds, polling (no timing thresholds: the test's own timeout bounds it). */
async function until(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("connection timeouts (WHARF_*_TIMEOUT_SECONDS=1)", () => {
  let w: Wharf;

  before(async () => {
    w = await startWharf({
      env: { WHARF_HEADERS_TIMEOUT_SECONDS: "1", WHARF_KEEPALIVE_TIMEOUT_SECONDS: "1", WHARF_BODY_TIMEOUT_SECONDS: "1", WHARF_LOG_LEVEL: "warn" },
    });
    await createRegistryRow(w, "slowpoke");
  });
  after(async () => {
    await w?.stop();
  });

  it("headers that never finish are answered 408 with an OCI body, and the connection is closed", { timeout: 30_000 }, async () => {
    const c = connect(w.port);
    await c.connected;
    c.socket.write("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    await c.closed;
    const answer = parseAnswer(c.received());
    assert.equal(answer.status, 408);
    assert.match(answer.body.errors[0].message, /did not arrive in time/);
  });

  // The timeouts only keep a build without the fix from hanging; they are far above 1 s.
  it("an idle keep-alive connection is closed after its answer", { timeout: 30_000 }, async () => {
    const c = connect(w.port);
    await c.connected;
    c.socket.write("GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 401/);
  });

  it("a stalled PATCH is cut; the session keeps its bytes, reports them, and the upload resumes to a verified blob", { timeout: 60_000 }, async () => {
    const t = await token(w, [pushPull("slowpoke/app")]);
    const a = api(w, t);
    const data = crypto.randomBytes(3000);
    const start = await a.fetch("/v2/slowpoke/app/blobs/uploads/", { method: "POST" });
    assert.equal(start.status, 202);
    const location = new URL(start.headers.get("location")!, w.url);
    const first = await a.fetch(location.pathname, {
      method: "PATCH",
      body: new Uint8Array(data.subarray(0, 1000)),
      headers: { "Content-Range": "0-999", "Content-Type": "application/octet-stream" },
    });
    assert.equal(first.status, 202);

    // Second chunk: headers and 400 of its 1000 bytes, then silence.
    const c = connect(w.port);
    await c.connected;
    c.socket.write(
      `PATCH ${location.pathname} HTTP/1.1\r\nHost: ${w.host}\r\nAuthorization: Bearer ${t}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Range: 1000-1999\r\nContent-Length: 1000\r\n\r\n`,
    );
    c.socket.write(data.subarray(1000, 1400));
    await c.closed;
    await waitForLog(w, (lines) => lines.find((l) => l.level === 40 && /request body stalled/.test(l.msg) && l.route === "upload"), "the stalled-body warning");

    // The session is still there: GET says how many bytes it holds; the client resumes from there.
    let held = -1;
    await until(async () => {
      const s = await a.fetch(location.pathname);
      held = Number(/^0-(\d+)$/.exec(s.headers.get("range") ?? "")?.[1] ?? -1) + 1;
      return s.status === 204 && held >= 1000;
    }, "the upload status after the cut");
    const rest = await a.fetch(location.pathname, {
      method: "PATCH",
      body: new Uint8Array(data.subarray(held)),
      headers: { "Content-Range": `${held}-${data.length - 1}`, "Content-Type": "application/octet-stream" },
    });
    assert.equal(rest.status, 202, await rest.text());
    const done = await a.fetch(`${location.pathname}?digest=${sha256(data)}`, { method: "PUT" });
    assert.equal(done.status, 201, await done.text());
    const blob = await a.fetch(`/v2/slowpoke/app/blobs/${sha256(data)}`);
    assert.ok(Buffer.from(await blob.arrayBuffer()).equals(data));
  });

  it("WHARF_LOG_LEVEL=warn hides the info-level access log but keeps warnings", () => {
    const lines = logLines(w);
    assert.ok(lines.some((l) => l.level === 40));
    assert.ok(!lines.some((l) => l.msg === "request"), "no access-log lines at warn");
  });
});

describe("connection caps (WHARF_MAX_CONNECTIONS=3, WHARF_MAX_CONNECTIONS_PER_ADDRESS=2)", () => {
  let w: Wharf;
  const open: ReturnType<typeof connect>[] = [];

  before(async () => {
    w = await startWharf({ env: { WHARF_MAX_CONNECTIONS: "3", WHARF_MAX_CONNECTIONS_PER_ADDRESS: "2" } });
  });
  after(async () => {
    for (const c of open) c.socket.destroy();
    await w?.stop();
  });

  it("one address over its cap gets 429 TOOMANYREQUESTS at once; the server over its cap 503; a freed slot is usable again", { timeout: 60_000 }, async () => {
    for (let i = 0; i < 2; i++) {
      const c = connect(w.port, "127.0.0.2");
      await c.connected;
      open.push(c);
    }
    const third = parseAnswer(await rawExchange(w.port, "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", { localAddress: "127.0.0.2" }));
    assert.equal(third.status, 429);
    assert.equal(third.body.errors[0].code, "TOOMANYREQUESTS");
    assert.match(third.body.errors[0].message, /127\.0\.0\.2 already holds 2 open connections/);

    const other = connect(w.port, "127.0.0.3");
    await other.connected;
    open.push(other);
    const full = parseAnswer(await rawExchange(w.port, "GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", { localAddress: "127.0.0.4" }));
    assert.equal(full.status, 503);
    assert.equal(full.body.errors[0].code, "UNAVAILABLE");
    assert.match(full.headers, /Retry-After: \d+/);

    // The held connections still work, and closing one frees a slot.
    open[0].socket.write("GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await open[0].closed;
    assert.match(open[0].received(), /^HTTP\/1\.1 401/);
    await until(async () => /^HTTP\/1\.1 401/.test(await rawExchange(w.port, "GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", { localAddress: "127.0.0.2" })), "a freed slot");
  });
});
