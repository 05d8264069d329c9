import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { api, createRegistryRow, pushPull, token } from "../helpers/registry-fixtures";
import { ADMIN_PASSWORD, basicAuth, startWharf, type Wharf } from "../helpers/wharf";

/** The value of one sample in Prometheus text: `name{a="x",b="y"} value`, labels in any order; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) total += Number(m[3]);
  }
  return total;
}

async function scrape(w: Wharf, headers: Record<string, string> = {}): Promise<string> {
  const r = await fetch(`${w.url}/metrics`, { headers, redirect: "manual" });
  assert.equal(r.status, 200, await r.clone().text());
  assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return r.text();
}

describe("/metrics, open (no WHARF_METRICS_TOKEN)", () => {
  let w: Wharf;
  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
  });

  it("counts a push and a pull by route class, method and status, with bytes, durations and tokens", async () => {
    const before = await scrape(w);
    const name = "contoso/app";
    const reg = api(w, await token(w, [pushPull(name)]));
    const layer = crypto.randomBytes(200_000);
    const image = await reg.pushImage(name, "v1", { layer });
    const pulled = await reg.fetch(`/v2/${name}/blobs/${image.layer}`);
    assert.equal(pulled.status, 200);
    assert.equal(Buffer.from(await pulled.arrayBuffer()).length, layer.length);
    assert.equal((await reg.fetch(`/v2/${name}/manifests/v1`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } })).status, 200);
    assert.equal((await reg.fetch(`/v2/${name}/manifests/missing`)).status, 404);
    const refused = await fetch(`${w.url}/oauth2/token?service=${w.host}`, { headers: { Authorization: basicAuth("admin", "wrong-password") } });
    assert.equal(refused.status, 401);
    const text = await scrape(w);

    const moved = (metric: string, labels: Record<string, string> = {}) => sample(text, metric, labels) - sample(before, metric, labels);
    assert.equal(moved("wharf_http_requests_total", { route: "upload", method: "POST", status: "201" }), 2);
    assert.equal(moved("wharf_http_requests_total", { route: "manifest", method: "PUT", status: "201" }), 1);
    assert.equal(moved("wharf_http_requests_total", { route: "manifest", method: "GET", status: "200" }), 1);
    assert.equal(moved("wharf_http_requests_total", { route: "manifest", method: "GET", status: "404" }), 1);
    assert.equal(moved("wharf_http_requests_total", { route: "blob", method: "GET", status: "200" }), 1);
    assert.equal(moved("wharf_http_requests_total", { route: "token", method: "GET", status: "200" }), 1);
    assert.equal(moved("wharf_tokens_issued_total"), 1);
    assert.equal(moved("wharf_token_refusals_total", { status: "401" }), 1);
    // The layer went in through the upload route and came out through the blob route (headers on top).
    assert.ok(moved("wharf_http_received_bytes_total", { route: "upload" }) >= layer.length);
    assert.ok(moved("wharf_http_sent_bytes_total", { route: "blob" }) >= layer.length);
    assert.equal(moved("wharf_http_request_duration_seconds_count", { route: "blob", method: "GET" }), 1);
    assert.equal(moved("wharf_upload_duration_seconds_count", { step: "start" }), 2);
    // Labels never carry a registry or repository name, whatever was pushed.
    assert.doesNotMatch(text, /contoso|app/);
  });

  it("probes the database and the storage at each scrape, and carries the process's default metrics", async () => {
    const first = await scrape(w);
    const second = await scrape(w);
    assert.equal(sample(second, "wharf_dependency_up", { dependency: "database" }), 1);
    assert.equal(sample(second, "wharf_dependency_up", { dependency: "storage" }), 1);
    assert.equal(sample(second, "wharf_database_probe_seconds_count") - sample(first, "wharf_database_probe_seconds_count"), 1);
    assert.equal(sample(second, "wharf_storage_probe_seconds_count") - sample(first, "wharf_storage_probe_seconds_count"), 1);
    assert.ok(sample(second, "wharf_process_resident_memory_bytes") > 0);
    assert.match(second, /^wharf_nodejs_eventloop_lag_seconds /m);
    // The first scrape counted itself once it closed.
    assert.ok(sample(second, "wharf_http_requests_total", { route: "metrics", method: "GET", status: "200" }) >= 1);
  });

  it("counts garbage-collection runs of this node's worker", async () => {
    // The worker runs the periodic collection soon after start (nothing ran before); wait for it to be counted.
    const deadline = Date.now() + 60_000;
    let text = await scrape(w);
    while (sample(text, "wharf_gc_runs_total", { result: "ok" }) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      text = await scrape(w);
    }
    assert.ok(sample(text, "wharf_gc_runs_total", { result: "ok" }) >= 1, text.split("\n").filter((l) => l.includes("gc")).join("\n"));
    assert.match(text, /^wharf_gc_freed_bytes_total \d+/m);
  });
});

describe("/metrics with WHARF_METRICS_TOKEN", () => {
  const secret = "metrics-" + crypto.randomBytes(12).toString("hex");
  let w: Wharf;
  before(async () => {
    w = await startWharf({ env: { WHARF_METRICS_TOKEN: secret, WHARF_ANONYMOUS_RATE_PER_MINUTE: "2" } });
  });
  after(async () => {
    await w?.stop();
  });

  it("refuses a scrape without the token or with a wrong one, and answers the right one", async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${secret}x` }, { Authorization: `Bearer ${secret.slice(0, -1)}` }, { Authorization: basicAuth("admin", ADMIN_PASSWORD) }];
    for (const headers of attempts) {
      const r = await fetch(`${w.url}/metrics`, { headers, redirect: "manual" });
      assert.equal(r.status, 401);
      assert.match((await r.json()).message, /WHARF_METRICS_TOKEN/);
    }
    const text = await scrape(w, { Authorization: `Bearer ${secret}` });
    assert.match(text, /^# TYPE wharf_http_requests_total counter/m);
    assert.equal(sample(text, "wharf_http_requests_total", { route: "metrics", status: "401" }), 4);
  });

  it("leaves /healthz and /readyz open", async () => {
    assert.equal((await fetch(`${w.url}/healthz`, { redirect: "manual" })).status, 200);
    assert.equal((await fetch(`${w.url}/readyz`, { redirect: "manual" })).status, 200);
  });

  it("counts 429s by the limit that was spent", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${w.url}/v2/`)).status);
    assert.deepEqual(statuses.slice(-1), [429]);
    const text = await scrape(w, { Authorization: `Bearer ${secret}` });
    assert.equal(sample(text, "wharf_rate_limit_refusals_total", { reason: "anonymous" }), statuses.filter((s) => s === 429).length);
    assert.equal(sample(text, "wharf_http_requests_total", { route: "base", method: "GET", status: "429" }), statuses.filter((s) => s === 429).length);
  });
});
