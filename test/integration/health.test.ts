import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startWharf, type Wharf } from "../helpers/wharf";

/** The load balancer's probes (HAProxy checks /readyz): answered without credentials, never the sign-in page. */
describe("health and readiness probes", () => {
  let w: Wharf;
  before(async () => {
    w = await startWharf();
  });
  after(async () => {
    await w?.stop();
  });

  it("/healthz answers 200 without credentials", async () => {
    const r = await fetch(`${w.url}/healthz`, { redirect: "manual" });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(await r.json(), { status: "ok" });
  });

  it("/readyz answers 200 when the database and the storage answer", async () => {
    const r = await fetch(`${w.url}/readyz`, { redirect: "manual" });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: "ready", database: "ok", storage: "ok" });
    const head = await fetch(`${w.url}/readyz?probe=haproxy`, { method: "HEAD", redirect: "manual" });
    assert.equal(head.status, 200);
  });

  it("a probe is only read, never written", async () => {
    const r = await fetch(`${w.url}/readyz`, { method: "POST", redirect: "manual" });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get("allow"), "GET, HEAD");
  });

  it("/readyz answers 503 naming the storage when the storage fails, while /healthz stays 200", { skip: process.env.WHARF_TEST_S3_ENDPOINT ? "breaks the filesystem storage; this run stores in S3" : false }, async () => {
    // The blobs directory replaced by a symlink to itself: every stat under it fails (ELOOP), as on a broken mount.
    // (A plain file would not do: the driver reads "a path below a file" as nothing stored, rightly.)
    const blobs = path.join(w.dataDir, "blobs");
    fs.rmSync(blobs, { recursive: true, force: true });
    fs.symlinkSync(blobs, blobs);
    try {
      const r = await fetch(`${w.url}/readyz`, { redirect: "manual" });
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), { status: "unavailable", database: "ok", storage: "failed" });
      assert.equal((await fetch(`${w.url}/healthz`)).status, 200);
    } finally {
      fs.rmSync(blobs, { force: true });
      fs.mkdirSync(blobs);
    }
    assert.equal((await fetch(`${w.url}/readyz`)).status, 200);
  });
});
