import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import pg from "pg";
import { startCluster, type Cluster, type ClusterNode } from "../helpers/cluster";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { api, sha256, token } from "../helpers/registry-fixtures";
import { skopeoSandbox } from "../helpers/skopeo";
import { ADMIN_PASSWORD } from "../helpers/wharf";

const LAYERS = 8;
const LAYER_BYTES = 24 * 1024 * 1024;

/** An image of LAYERS incompressible gzip layers, big enough that a push is still sending when a node dies. */
function multiLayerImage(layout: OciLayout): { image: Desc; blobs: Desc[] } {
  const raw = Array.from({ length: LAYERS }, () => crypto.randomBytes(LAYER_BYTES));
  // gzip, not plain tar: clients push compressed layers as they are, and would compress plain ones (new digests).
  const layers = raw.map((r) => layout.blob(zlib.gzipSync(r, { level: 1 }), "application/vnd.oci.image.layer.v1.tar+gzip"));
  const config = layout.blob(
    Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: raw.map((r) => sha256(r)) } })),
    "application/vnd.oci.image.config.v1+json",
  );
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config, layers }));
  return { image: layout.blob(manifest, "application/vnd.oci.image.manifest.v1+json"), blobs: [config, ...layers] };
}

/** Bytes a process has read so far (sockets included): a node receiving an upload reads fastest. */
function bytesRead(pid: number): number {
  const io = fs.readFileSync(`/proc/${pid}/io`, "utf8");
  return Number(/^rchar: (\d+)$/m.exec(io)?.[1] ?? 0);
}

/** The node reading the most bytes over 100 ms: the one receiving a layer right now. */
async function receivingNode(c: Cluster): Promise<ClusterNode> {
  const before = c.nodes.map((n) => bytesRead(n.pid));
  await new Promise((r) => setTimeout(r, 100));
  const delta = c.nodes.map((n, i) => bytesRead(n.pid) - before[i]);
  return c.nodes[delta.indexOf(Math.max(...delta))];
}

/**
 * kill -9 of a node while a multi-layer push runs through HAProxy: the push either survives (HAProxy re-sends a
 * refused connection elsewhere) or fails; either way no half-written blob or manifest is ever visible, and the
 * client's retry through HAProxy completes the image, which every node then serves whole.
 */
describe("a node killed in the middle of a push", () => {
  let c: Cluster;
  let tmp: string;
  let layout: OciLayout;
  let image: Desc;
  let blobs: Desc[];
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  let killed: ClusterNode;
  let db: pg.Client;
  const creds = `admin:${ADMIN_PASSWORD}`;

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-cluster-kill-", () => c?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    ({ image, blobs } = multiLayerImage(layout));
    layout.tag({ v1: image });
    c = await startCluster();
    const made = await c.cli(["registry", "create", "--name", "contoso", "--sku", "Premium"]);
    assert.equal(made.code, 0, made.stderr);
    db = new pg.Client({ connectionString: c.env.WHARF_DATABASE_URL });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    await c?.down();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** What every live node shows of contoso/big: the tag's status, and each blob whole, absent, or (wrongly) partial. */
  async function visible(nodes: ClusterNode[]) {
    const bearer = await token(c.front, ["repository:contoso/big:pull"]);
    const seen: { node: string; tag: number; blobs: string[] }[] = [];
    for (const n of nodes) {
      const a = api(n, bearer);
      const tag = (await a.fetch("/v2/contoso/big/manifests/v1", { method: "HEAD", headers: { Accept: image.mediaType } })).status;
      const states: string[] = [];
      for (const b of blobs) {
        const r = await a.fetch(`/v2/contoso/big/blobs/${b.digest}`);
        if (r.status === 404) {
          await r.arrayBuffer();
          states.push("absent");
          continue;
        }
        const body = Buffer.from(await r.arrayBuffer());
        states.push(r.status === 200 && body.length === b.size && sha256(body) === b.digest ? "whole" : `BROKEN ${r.status} ${body.length}/${b.size}`);
      }
      seen.push({ node: n.name, tag, blobs: states });
    }
    return seen;
  }

  it("the interrupted push leaves nothing half-written", { timeout: 300_000 }, async () => {
    const push = skopeo("copy", "--retry-times", "0", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${c.host}/contoso/big:v1`).then(
      () => "completed",
      (err: Error) => `failed: ${err.message.split("\n")[0]}`,
    );
    // The push is in its blob phase once an upload session exists.
    for (let i = 0; i < 600; i++) {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM "Upload"');
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    killed = await receivingNode(c);
    process.kill(killed.pid, "SIGKILL");
    const outcome = await push;
    console.log(`first push (no client retries) ${outcome}; killed ${killed.name}`);
    const survivors = c.nodes.filter((n) => n !== killed);
    const seen = await visible(survivors);
    for (const s of seen) {
      assert.ok(!s.blobs.some((b) => b.startsWith("BROKEN")), `${s.node} shows a partial blob: ${JSON.stringify(s)}`);
      if (outcome === "completed") {
        assert.equal(s.tag, 200, `${s.node}: the push completed but the tag is missing`);
        assert.deepEqual(s.blobs, blobs.map(() => "whole"), `${s.node}: the push completed but blobs are missing`);
      } else assert.equal(s.tag, 404, `${s.node}: a failed push left its tag visible`);
    }
    assert.equal(new Set(seen.map((s) => JSON.stringify([s.tag, s.blobs]))).size, 1, `nodes disagree: ${JSON.stringify(seen)}`);
  });

  it("the client's retry through HAProxy completes the image, served whole by every node", { timeout: 300_000 }, async () => {
    await skopeo("copy", "--retry-times", "3", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:v1`, `docker://${c.host}/contoso/big:v1`);
    const { stdout } = await skopeo("inspect", "--creds", creds, "--tls-verify=false", `docker://${c.host}/contoso/big:v1`);
    assert.equal(JSON.parse(stdout).Digest, image.digest);
    await c.restart(killed.name);
    for (const s of await visible(c.nodes)) {
      assert.equal(s.tag, 200, s.node);
      assert.deepEqual(s.blobs, blobs.map(() => "whole"), s.node);
    }
  });
});
