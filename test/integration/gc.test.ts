import { databaseUrlOf } from "../helpers/backends";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createDb } from "../../lib/core/db";
import { uploadDir } from "../../lib/registry/paths";
import { api, createRegistryRow, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { blobStored, storageOf } from "../helpers/stored-blobs";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * Deletes that free space, on disk: the background worker collects within a cycle of seconds here, and
 * `wharf gc run` (another process) does the same on request.
 */


async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("garbage collection", () => {
  let wharf: Wharf;
  let a: Api;
  const cli = (...args: string[]) => runCli(wharf, args);

  before(async () => {
    // A 5 s grace: a link newer than that is never reviewed, so a loaded machine (S3, slow uploads) cannot lose a
    // layer between its upload and the manifest that names it; deletions below still wait up to 30 s.
    wharf = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "1", WHARF_GC_GRACE_SECONDS: "5", WHARF_UPLOAD_MAX_IDLE_SECONDS: "2" } });
    await createRegistryRow(wharf, "gcreg");
    a = api(wharf, await token(wharf, [pushPull("gcreg/app"), pushPull("gcreg/other"), pushPull("gcreg/gone"), pushPull("gcreg/again")]));
  });
  after(async () => wharf?.stop());

  it("a 5 MB layer whose only manifest is deleted leaves the blob store within one cycle; a shared one stays", async () => {
    const big = crypto.randomBytes(5 * 1024 * 1024);
    const shared = crypto.randomBytes(4096);
    const img = await a.pushImage("gcreg/app", "v1", { layer: big });
    const keep = await a.pushImage("gcreg/other", "v1", { layer: shared });
    const mounted = await a.fetch(`/v2/gcreg/app/blobs/uploads/?mount=${keep.layer}&from=gcreg/other`, { method: "POST" });
    assert.equal(mounted.status, 201);
    assert.ok(await blobStored(wharf, img.layer));
    const del = await a.fetch(`/v2/gcreg/app/manifests/${img.digest}`, { method: "DELETE" });
    assert.equal(del.status, 202);
    // One cycle frees all three; it deletes them one after another, so wait for each (S3 deletes take longer).
    await until("the 5 MB layer's bytes are deleted", async () => !(await blobStored(wharf, img.layer)));
    await until("its config goes too", async () => !(await blobStored(wharf, img.config)));
    await until("and the manifest's own bytes", async () => !(await blobStored(wharf, img.digest)));
    assert.equal((await a.fetch(`/v2/gcreg/app/blobs/${img.layer}`, { method: "HEAD" })).status, 404);
    // The other repository's image, whose layer was also mounted into app (and is named by no manifest there), stays whole.
    const pulled = await a.fetch(`/v2/gcreg/other/blobs/${keep.layer}`);
    assert.equal(pulled.status, 200);
    assert.equal(sha256(Buffer.from(await pulled.arrayBuffer())), keep.layer);
    // Who deleted what and how many bytes, whichever door it came through; and what collection freed.
    const db = createDb(databaseUrlOf(wharf.dataDir));
    try {
      const del = await db.activityLog.findFirstOrThrow({ where: { action: "manifest.delete", target: `gcreg/app@${img.digest}` } });
      assert.equal(del.actor, "admin");
      assert.ok(JSON.parse(del.before!).bytes > big.length);
      await until("the collection is in the activity log", async () => (await db.activityLog.count({ where: { action: "gc.run", registryId: del.registryId } })) > 0);
      // The worker runs every second: its entries together account for the freed layer.
      await until("the collections' entries account for the 5 MB", async () => {
        const runs = await db.activityLog.findMany({ where: { action: "gc.run", registryId: del.registryId } });
        return runs.reduce((n, r) => n + JSON.parse(r.after!).bytesFreed, 0) >= big.length;
      });
      const totals = await db.gcStat.findUniqueOrThrow({ where: { registryId: del.registryId! } });
      assert.ok(Number(totals.bytesFreed) >= big.length);
    } finally {
      await db.$disconnect();
    }
  });

  it("deleting a tag leaves an untagged manifest that stays and keeps its blobs", async () => {
    const img = await a.pushImage("gcreg/app", "v2", { layer: crypto.randomBytes(2048) });
    assert.equal((await a.fetch(`/v2/gcreg/app/manifests/v2`, { method: "DELETE" })).status, 202);
    const ran = await cli("gc", "run", "--registry", "gcreg", "--grace-period", "0s", "-o", "json");
    assert.equal(ran.code, 0, ran.stderr);
    const got = await a.fetch(`/v2/gcreg/app/manifests/${img.digest}`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
    assert.equal(got.status, 200);
    assert.ok(await blobStored(wharf, img.layer));
  });

  it("wharf gc run frees a deleted repository's bytes at once with --grace-period 0s, and says how much", async () => {
    const layer = crypto.randomBytes(300_000);
    const img = await a.pushImage("gcreg/gone", "v1", { layer });
    const dry = await cli("repository", "delete", "-n", "gcreg", "--repository", "gone");
    assert.equal(dry.code, 1);
    assert.match(dry.stderr, /--yes/);
    const del = await cli("repository", "delete", "-n", "gcreg", "--repository", "gone", "--yes");
    assert.equal(del.code, 0, del.stderr);
    const out = await cli("gc", "run", "--registry", "gcreg", "--grace-period", "0s", "-o", "json");
    assert.equal(out.code, 0, out.stderr);
    // The worker may have collected it first: either way the file is gone and a run reports what it did.
    assert.ok(!(await blobStored(wharf, img.layer)));
    assert.match(out.stderr, /Freed/);
    // The server learns of another process's delete within its name cache's few seconds.
    await until("the deleted repository is unknown to the server", async () => (await a.fetch(`/v2/gcreg/gone/tags/list`)).status === 404, 10_000);
  });

  it("a push right after another process deleted the repository creates it again (the server's name cache is not trusted)", async () => {
    await a.pushImage("gcreg/again", "v1", {});
    const del = await cli("repository", "delete", "-n", "gcreg", "--repository", "again", "--yes");
    assert.equal(del.code, 0, del.stderr);
    const img = await a.pushImage("gcreg/again", "v2", {});
    const got = await a.fetch(`/v2/gcreg/again/manifests/v2`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("docker-content-digest"), img.digest);
    assert.equal((await a.fetch(`/v2/gcreg/again/manifests/v1`)).status, 404);
  });

  it("an upload session idle longer than WHARF_UPLOAD_MAX_IDLE_SECONDS is removed with its bytes", async () => {
    const start = await a.fetch(`/v2/gcreg/app/blobs/uploads/`, { method: "POST" });
    assert.equal(start.status, 202);
    const location = start.headers.get("location")!;
    const patch = await a.fetch(location, { method: "PATCH", body: new Uint8Array(crypto.randomBytes(100_000)), headers: { "Content-Type": "application/octet-stream" } });
    assert.equal(patch.status, 202);
    const id = location.split("/").pop()!.split("?")[0];
    const stored = storageOf(wharf);
    assert.ok(await stored.stat(uploadDir(id)));
    await until("the idle upload's bytes are deleted", async () => !(await stored.stat(uploadDir(id))));
    assert.equal((await a.fetch(location)).status, 404);
  });

  it("bad input to wharf gc run gets a clear error and runs nothing", async () => {
    const out = await cli("gc", "run", "--registry", "nope-registry");
    assert.equal(out.code, 1);
    assert.match(out.stderr, /nope-registry/);
    const bad = await cli("gc", "run", "--grace-period", "soon");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /not a duration/);
  });
});
