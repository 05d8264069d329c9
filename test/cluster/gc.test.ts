import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { startCluster, type Cluster } from "../helpers/cluster";
import { api, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";

const REPOS = ["racereg/a", "racereg/b", "racereg/c"];
const CLIENTS = 9;
const IMAGES_PER_CLIENT = 5;

/**
 * Garbage collection on every node at once: each node's own worker every second and, beside them, three CLI
 * processes collecting in a loop, all with no grace period (the harshest setting), while clients push images
 * that share layers through HAProxy and others delete. Every confirmed push nobody deleted must stay whole on
 * every node: the database (row locks) and the bucket are the only coordinators.
 */
describe("garbage collection on every node while pushes continue", () => {
  let c: Cluster;

  before(async () => {
    c = await startCluster({ WHARF_GC_INTERVAL_SECONDS: "1", WHARF_GC_GRACE_SECONDS: "0" });
    const made = await c.cli(["registry", "create", "--name", "racereg", "--sku", "Premium"]);
    assert.equal(made.code, 0, made.stderr);
  });
  after(async () => {
    await c?.down();
  });

  // On failure, the nodes' own account of it (a 500's request id points into these lines).
  const withNodeErrors = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      await new Promise((r) => setTimeout(r, 1500)); // nodes write their logs in batches
      const errors = c.nodes.flatMap((n) => fs.readFileSync(n.log, "utf8").split("\n").filter((l) => /"level":(50|60)/.test(l)).map((l) => `${n.name}: ${l.slice(0, 1500)}`));
      throw new Error(`${(err as Error).message}\n--- node errors ---\n${errors.slice(-10).join("\n")}`, { cause: err });
    }
  };

  it("never frees a live blob", { timeout: 900_000 }, withNodeErrors(async () => {
    const a: Api = api(c.front, await token(c.front, REPOS.map(pushPull)));
    const shared = Array.from({ length: 5 }, () => crypto.randomBytes(256 * 1024));
    type Pushed = { repo: string; digest: string; blobs: string[] };
    const confirmed: Pushed[] = [];
    const deleted = new Set<string>();
    let refused = 0;
    let pushing = true;

    // The repositories exist before the race: this test is about collection, not about creating a repository.
    // (The nodes already collect with no grace period, so a seed push may be refused; it is simply tried again.)
    for (const repo of REPOS) {
      for (let attempt = 1; ; attempt++) {
        const pushed = await a.pushImage(repo, "seed").then(() => true, (err: Error) => (/MANIFEST_BLOB_UNKNOWN/.test(err.message) && attempt < 10 ? false : Promise.reject(err)));
        if (pushed) break;
      }
    }
    const gcRuns: { code: number; stderr: string }[] = [];
    const gcLoops = [0, 1, 2].map(async () => {
      while (pushing) gcRuns.push(await c.cli(["gc", "run", "--registry", "racereg", "--grace-period", "0s", "-o", "none"]));
    });
    const pushOne = async (client: number, i: number) => {
      const repo = REPOS[(client + i) % REPOS.length];
      try {
        const img = await a.pushImage(repo, `c${client}-${i}`, { layer: shared[(client * 7 + i) % shared.length] });
        confirmed.push({ repo, digest: img.digest, blobs: [img.layer, img.config] });
      } catch (err) {
        // A blob collected between its upload and the manifest (no grace period): the client is told, nothing breaks.
        if (!/^Error: pushImage: 400 .*MANIFEST_BLOB_UNKNOWN/.test(String(err))) throw err;
        refused++;
      }
    };
    const pushers = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < IMAGES_PER_CLIENT; i++) await pushOne(client, i);
    });
    const deleters = Array.from({ length: 2 }, async () => {
      for (let n = 0; n < 12; n++) {
        await new Promise((r) => setTimeout(r, 100));
        const victim = confirmed[Math.floor(Math.random() * confirmed.length)];
        if (!victim || deleted.has(`${victim.repo}@${victim.digest}`)) continue;
        deleted.add(`${victim.repo}@${victim.digest}`);
        const r = await a.fetch(`/v2/${victim.repo}/manifests/${victim.digest}`, { method: "DELETE" });
        assert.ok([202, 404].includes(r.status), `delete answered ${r.status}`);
      }
    });
    try {
      await Promise.all([...pushers, ...deleters]);
    } finally {
      pushing = false;
      await Promise.all(gcLoops);
    }

    assert.ok(gcRuns.length >= 3, `the CLI collected during the pushes (${gcRuns.length} runs)`);
    for (const run of gcRuns) assert.equal(run.code, 0, `a collection failed: ${run.stderr}`);
    assert.ok(confirmed.length > CLIENTS, `most pushes were confirmed (${confirmed.length} confirmed, ${refused} refused)`);

    // Once more on every node's behalf at the same moment, nothing in flight; then all that is held must be whole.
    const last = await Promise.all([0, 1, 2].map(() => c.cli(["gc", "run", "--grace-period", "0s", "-o", "none"])));
    for (const run of last) assert.equal(run.code, 0, run.stderr);
    const bearer = await token(c.front, REPOS.map(pushPull));
    for (const n of c.nodes) {
      const check = api(n, bearer);
      for (const p of confirmed) {
        if (deleted.has(`${p.repo}@${p.digest}`)) continue;
        const m = await check.fetch(`/v2/${p.repo}/manifests/${p.digest}`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
        assert.equal(m.status, 200, `${n.name}: ${p.repo}@${p.digest} is pullable`);
        await m.arrayBuffer();
        for (const b of p.blobs) {
          const r = await check.fetch(`/v2/${p.repo}/blobs/${b}`);
          assert.equal(r.status, 200, `${n.name}: ${p.repo} blob ${b} is pullable`);
          assert.equal(sha256(Buffer.from(await r.arrayBuffer())), b);
        }
      }
    }
  }));
});
