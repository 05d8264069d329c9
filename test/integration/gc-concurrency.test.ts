import { databaseUrlOf } from "../helpers/backends";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createDb } from "../../lib/core/db";
import { blobDataPath } from "../../lib/registry/paths";
import { api, createRegistryRow, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { storageOf } from "../helpers/stored-blobs";
import { runCli, startWharf, withServerLog, UNLIMITED_SKUS_ENV, type Wharf } from "../helpers/wharf";

/**
 * Garbage collection runs in a loop in a second process (the CLI, with no grace period at all: the harshest
 * setting) and in the server's own worker, while 20 clients push images that share layers and 3 others delete
 * and re-push. Every push the registry confirmed and nobody deleted must stay pullable, every stored blob file
 * must match its digest, and no collection may fail.
 */

const REPOS = ["racereg/a", "racereg/b", "racereg/c", "racereg/d"];
const CLIENTS = 20;
const IMAGES_PER_CLIENT = 6;

describe("garbage collection while pushing and deleting", () => {
  let wharf: Wharf;

  before(async () => {
    // Pushing goes on as long as the CLI needs, which on a slow machine is over the Standard SKU's 500 writes a minute.
    wharf = await startWharf({ env: { ...UNLIMITED_SKUS_ENV, WHARF_GC_INTERVAL_SECONDS: "1", WHARF_GC_GRACE_SECONDS: "0" } });
    await createRegistryRow(wharf, "racereg");
  });
  after(async () => wharf?.stop());
  it("keeps every confirmed push whole", { timeout: 600_000 }, withServerLog(() => [wharf], async () => {
    const a: Api = api(wharf, await token(wharf, REPOS.map(pushPull)));
    const shared = Array.from({ length: 6 }, () => crypto.randomBytes(64 * 1024));
    type Pushed = { repo: string; tag: string; digest: string; blobs: string[] };
    const confirmed: Pushed[] = [];
    const deleted = new Set<string>();
    let refused = 0;
    let pushing = true;

    const gcRuns: { code: number; stderr: string }[] = [];
    const gcLoop = (async () => {
      while (pushing) gcRuns.push(await runCli(wharf, ["gc", "run", "--registry", "racereg", "--grace-period", "0s", "-o", "none"]));
    })();

    const pushOne = async (client: number, i: number) => {
      const repo = REPOS[(client + i) % REPOS.length];
      const layer = shared[(client * 7 + i) % shared.length];
      try {
        const img = await a.pushImage(repo, `c${client}-${i}`, { layer });
        confirmed.push({ repo, tag: `c${client}-${i}`, digest: img.digest, blobs: [img.layer, img.config] });
      } catch (err) {
        // Refused (e.g. a blob collected between its upload and the manifest, with no grace period): the client saw it.
        if (!/^Error: pushImage: 400 .*MANIFEST_BLOB_UNKNOWN/.test(String(err))) throw err;
        refused++;
      }
    };
    // Pushing goes on until the CLI has finished collecting at least twice: a CLI run takes seconds on a loaded
    // machine, and a fixed number of pushes could all land inside one run (CI failed that way).
    const pushers = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; (i < IMAGES_PER_CLIENT || gcRuns.length < 2) && i < 100; i++) await pushOne(client, i);
    });
    let pushersDone = false;
    // Each deleter deletes up to 25 confirmed pushes while the pushes go on (on a slow machine the first may come late).
    const deleters = Array.from({ length: 3 }, async () => {
      for (let n = 0; n < 25 && !pushersDone; ) {
        await new Promise((r) => setTimeout(r, 50));
        const victim = confirmed[Math.floor(Math.random() * confirmed.length)];
        if (!victim || deleted.has(`${victim.repo}@${victim.digest}`)) continue;
        n++;
        deleted.add(`${victim.repo}@${victim.digest}`);
        const r = await a.fetch(`/v2/${victim.repo}/manifests/${victim.digest}`, { method: "DELETE" });
        assert.ok([202, 404].includes(r.status), `delete answered ${r.status}`);
      }
    });
    try {
      await Promise.all([Promise.all(pushers).finally(() => (pushersDone = true)), ...deleters]);
    } finally {
      pushing = false;
      await gcLoop;
    }

    console.log(`${confirmed.length} pushes confirmed, ${refused} refused, ${deleted.size} deleted, ${gcRuns.length} CLI collections`);
    assert.ok(gcRuns.length >= 2, "the CLI collected more than once during the pushes");
    for (const run of gcRuns) assert.equal(run.code, 0, `a collection failed: ${run.stderr}`);
    assert.ok(confirmed.length > CLIENTS, `most pushes were confirmed (${confirmed.length} confirmed, ${refused} refused)`);

    // One more collection with nothing in flight, then everything still held must be whole.
    const last = await runCli(wharf, ["gc", "run", "--grace-period", "0s"]);
    assert.equal(last.code, 0, last.stderr);
    const check: Api = api(wharf, await token(wharf, REPOS.map(pushPull)));
    for (const p of confirmed) {
      if (deleted.has(`${p.repo}@${p.digest}`)) continue;
      const m = await check.fetch(`/v2/${p.repo}/manifests/${p.digest}`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(m.status, 200, `${p.repo}@${p.digest} is pullable`);
      for (const b of p.blobs) {
        const r = await check.fetch(`/v2/${p.repo}/blobs/${b}`);
        assert.equal(r.status, 200, `${p.repo} blob ${b} is pullable`);
        assert.equal(sha256(Buffer.from(await r.arrayBuffer())), b);
      }
    }
    // Every blob row has its file, and every file holds exactly its digest's bytes. The server stops first: its own
    // worker may be between marking a blob and deleting it, and a shutdown lets it finish the blob it is on.
    await wharf.stop();
    const db = createDb(databaseUrlOf(wharf.dataDir));
    const stored = storageOf(wharf);
    try {
      const rows = await db.blob.findMany({ select: { digest: true, deletingAt: true } });
      for (const row of rows) {
        assert.equal(row.deletingAt, null, `no collection left ${row.digest} half-deleted`);
        const bytes = await stored.getContent(blobDataPath(row.digest)).catch(() => null);
        assert.ok(bytes, `bytes of ${row.digest} are stored`);
        assert.equal(sha256(bytes), row.digest);
      }
    } finally {
      await db.$disconnect();
    }
  }));
});
