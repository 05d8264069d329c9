import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { startWharf, runCli, freePort, ADMIN_PASSWORD, type Wharf } from "../helpers/wharf";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { OciLayout, type Desc } from "../helpers/oci-layout";

/**
 * Webhooks end to end: a real receiver (node:http) gets what skopeo's pushes and deletes caused, signed; deliveries
 * survive the receiver and Wharf being down; redelivery, the SKU limit and the dead letter after the retry window.
 */

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver on a fixed port that can be stopped and started again; it answers `answer` (200 unless told). */
class Receiver {
  got: Received[] = [];
  answer = 200;
  private server?: http.Server;
  constructor(readonly port: number) {}
  get url() {
    return `http://127.0.0.1:${this.port}/hook?token=abc`;
  }
  async start() {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        this.got.push({ headers: req.headers, body });
        res.writeHead(this.answer, { "content-type": "text/plain" }).end(`answered ${this.answer}`);
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", () => r()));
  }
  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }
  events(action: string) {
    return this.got.map((g) => ({ ...g, json: JSON.parse(g.body) })).filter((g) => g.json.action === action);
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, seconds = 60): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const verify = (secret: string, g: Received) => g.headers["x-wharf-signature"] === `sha256=${crypto.createHmac("sha256", secret).update(g.body).digest("hex")}`;

describe("webhooks", () => {
  let w: Wharf;
  let tmp: string;
  let layout: OciLayout;
  let image: Desc;
  let receiver: Receiver;
  let secret = "";
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  const creds = `admin:${ADMIN_PASSWORD}`;
  const cli = async (...args: string[]) => {
    const r = await runCli(w, args);
    assert.equal(r.code, 0, `wharf ${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  const push = (tag: string) => skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${w.host}/contoso/app:${tag}`);

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-webhooks-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    image = layout.image({ fileContent: "webhooks\n" });
    layout.tag({ v1: image });
    receiver = new Receiver(await freePort());
    await receiver.start();
    w = await startWharf({ env: { WHARF_SKU_LIMITS: JSON.stringify({ Standard: { webhooks: 2 } }) } });
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
    await receiver?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("creates a webhook and prints its secret once", async () => {
    const r = await cli("webhook", "create", "-r", "contoso", "-n", "cihook", "--uri", receiver.url, "--actions", "push", "delete", "--scope", "app:*", "--headers", "X-Env=prod", "-o", "json");
    const hook = JSON.parse(r.stdout);
    assert.match(hook.secret, /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(hook.uri, `http://127.0.0.1:${receiver.port}/hook`, "the shown URI drops the query");
    secret = hook.secret;
    const shown = JSON.parse((await cli("webhook", "show", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout);
    assert.equal(shown.secret, undefined);
    const config = JSON.parse((await cli("webhook", "get-config", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout);
    assert.deepEqual(config, { serviceUri: receiver.url, customHeaders: { "X-Env": "prod" } });
  });

  it("refuses what ACR's verbs would not mean here, saying what to use", async () => {
    const q = await runCli(w, ["webhook", "create", "-r", "contoso", "-n", "qhook1", "--uri", receiver.url, "--actions", "quarantine"]);
    assert.equal(q.code, 1);
    assert.match(q.stderr, /no quarantine/);
    const c = await runCli(w, ["webhook", "create", "-r", "contoso", "-n", "chook1", "--uri", receiver.url, "--actions", "chart_push"]);
    assert.match(c.stderr, /OCI artifacts.*Use push/);
    const u = await runCli(w, ["webhook", "create", "-r", "contoso", "-n", "uhook1", "--uri", "ftp://x/y", "--actions", "push"]);
    assert.match(u.stderr, /http or https/);
  });

  it("a skopeo push arrives signed, in ACR's shape, with the custom header", async () => {
    await push("v1");
    const [e] = await until("the push event", () => receiver.events("push").length > 0 && receiver.events("push"));
    assert.ok(verify(secret, e), "X-Wharf-Signature is the HMAC of the exact body");
    assert.equal(e.headers["content-type"], "application/json");
    assert.equal(e.headers["x-wharf-event"], "push");
    assert.equal(e.headers["x-env"], "prod");
    assert.match(String(e.headers["x-wharf-delivery"]), /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(e.json).sort(), ["action", "id", "request", "target", "timestamp"]);
    assert.equal(e.json.target.repository, "app");
    assert.equal(e.json.target.tag, "v1");
    assert.equal(e.json.target.digest, image.digest);
    assert.equal(e.json.target.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(typeof e.json.target.size, "number");
    assert.equal(e.json.request.method, "PUT");
  });

  it("a delete arrives signed", async () => {
    await skopeo("delete", "--creds", creds, "--tls-verify=false", `docker://${w.host}/contoso/app:v1`);
    const [e] = await until("the delete event", () => receiver.events("delete").length > 0 && receiver.events("delete"));
    assert.ok(verify(secret, e));
    assert.equal(e.json.target.repository, "app");
    assert.equal(e.json.target.digest, image.digest);
  });

  it("with the receiver down during 3 pushes and Wharf restarted, all 3 arrive once it is back", async () => {
    await receiver.stop();
    for (const tag of ["d1", "d2", "d3"]) await push(tag);
    // Each was tried and failed while the receiver was down: the log says so.
    const events = async () => JSON.parse((await cli("webhook", "list-events", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout) as { status: string; attempts: number; payload: { target: { tag?: string } }; log: { error: string | null }[] }[];
    for (let i = 0; ; i++) {
      const tried = (await events()).filter((d) => ["d1", "d2", "d3"].includes(d.payload.target.tag ?? "") && d.attempts > 0);
      if (tried.length === 3) {
        for (const d of tried) assert.equal(d.status, "pending");
        assert.ok(tried[0].log[0].error);
        break;
      }
      assert.ok(i < 100, "the three deliveries were tried");
      await new Promise((r) => setTimeout(r, 300));
    }
    w = await w.restart();
    await receiver.start();
    const tags = await until("three pushes after the restart", () => {
      const t = receiver.events("push").map((e) => e.json.target.tag).filter((x) => ["d1", "d2", "d3"].includes(x));
      return new Set(t).size === 3 && t;
    }, 120);
    assert.deepEqual([...new Set(tags)].sort(), ["d1", "d2", "d3"]);
    for (const e of receiver.events("push")) assert.ok(verify(secret, e));
  });

  it("ping goes through the log and redeliver sends a delivery again", async () => {
    const before = receiver.events("ping").length;
    const ping = JSON.parse((await cli("webhook", "ping", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout);
    assert.equal(ping.status, "delivered");
    assert.equal(ping.log[0].responseStatus, 200);
    assert.equal(ping.log[0].responseBody, "answered 200");
    assert.equal(receiver.events("ping").length, before + 1);
    const again = JSON.parse((await cli("webhook", "redeliver", "-r", "contoso", "--delivery", ping.id, "-o", "json")).stdout);
    assert.equal(again.redeliveryOf, ping.id);
    assert.equal(again.status, "delivered");
    const pings = receiver.events("ping");
    assert.equal(pings.length, before + 2);
    assert.equal(pings.at(-1)!.body, pings.at(-2)!.body, "the same payload");
    assert.notEqual(pings.at(-1)!.headers["x-wharf-delivery"], pings.at(-2)!.headers["x-wharf-delivery"]);
  });

  it("the SKU limit refuses the next webhook with the limit and the fix", async () => {
    await cli("webhook", "create", "-r", "contoso", "-n", "second1", "--uri", receiver.url, "--actions", "push");
    const r = await runCli(w, ["webhook", "create", "-r", "contoso", "-n", "third1", "--uri", receiver.url, "--actions", "push"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Standard limit of 2/);
    assert.match(r.stderr, /Delete one .* or upgrade the SKU/);
    const names = JSON.parse((await cli("webhook", "list", "-r", "contoso", "-o", "json")).stdout).map((h: { name: string }) => h.name);
    assert.deepEqual(names, ["cihook", "second1"]);
  });

  it("a delivery the receiver keeps refusing is dead after the retry window", async () => {
    await w.stop();
    w = await startWharf({ dataDir: w.dataDir, port: w.port, env: { WHARF_WEBHOOK_RETRY_SECONDS: "2" } });
    receiver.answer = 500;
    const ping = JSON.parse((await cli("webhook", "ping", "-r", "contoso", "-n", "second1", "-o", "json")).stdout);
    assert.equal(ping.status, "pending");
    assert.equal(ping.log[0].responseStatus, 500);
    let dead: { status: string; attempts: number; finishedAt: string | null } | undefined;
    for (let i = 0; i < 100 && dead?.status !== "dead"; i++) {
      if (i) await new Promise((r) => setTimeout(r, 500));
      [dead] = JSON.parse((await cli("webhook", "list-events", "-r", "contoso", "-n", "second1", "-o", "json")).stdout);
    }
    assert.equal(dead?.status, "dead");
    assert.ok(dead!.attempts >= 2);
    assert.ok(dead!.finishedAt);
    receiver.answer = 200;
  });

  it("an operator's outbound policy keeps deliveries off denied addresses, saying which and how to allow it", async () => {
    await w.stop();
    w = await startWharf({ dataDir: w.dataDir, port: w.port, env: { WHARF_EGRESS_DENY: "link-local,loopback" } });
    const before = receiver.got.length;
    const ping = JSON.parse((await cli("webhook", "ping", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout);
    assert.equal(ping.status, "pending");
    assert.equal(ping.log[0].responseStatus, null);
    assert.match(ping.log[0].error, /^127\.0\.0\.1 resolves to 127\.0\.0\.1, an address Wharf's outbound policy refuses \(WHARF_EGRESS_DENY=link-local,loopback\)\. An operator can allow it with WHARF_EGRESS_ALLOW=127\.0\.0\.1\.$/);
    assert.equal(receiver.got.length, before, "nothing reached the receiver");

    await w.stop();
    w = await startWharf({ dataDir: w.dataDir, port: w.port, env: { WHARF_EGRESS_DENY: "link-local,loopback", WHARF_EGRESS_ALLOW: "127.0.0.1" } });
    const allowed = JSON.parse((await cli("webhook", "ping", "-r", "contoso", "-n", "cihook", "-o", "json")).stdout);
    assert.equal(allowed.status, "delivered");
  });
});
