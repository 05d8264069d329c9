import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { api, createRegistryRow, ociError, pushPull, sha256, token, type Api } from "../helpers/registry-fixtures";
import { startWharf, type Wharf } from "../helpers/wharf";

/**
 * Three real nodes on one data dir (one database, and one bucket under the runner's S3 phase; on the embedded
 * default three processes share the SQLite file and the blob files the same way). An upload whose chunks land on
 * different nodes must end in the right blob, and a wrong digest must still be refused: a node that did not see
 * the earlier chunks rebuilds the running hash from the stored bytes.
 */
describe("upload sessions across nodes", () => {
  const nodes: Wharf[] = [];
  const apis: Api[] = [];
  const repo = "contoso/spread";

  before(async () => {
    nodes.push(await startWharf());
    await createRegistryRow(nodes[0], "contoso");
    nodes.push(await startWharf({ dataDir: nodes[0].dataDir }), await startWharf({ dataDir: nodes[0].dataDir }));
    for (const n of nodes) apis.push(api(n, await token(n, [pushPull(repo)])));
  });
  after(async () => {
    for (const n of nodes) await n.stop();
  });

  // Locations may be absolute (naming the node that answered): keep the path, so each request goes where we send it.
  const pathOf = (loc: string | null) => {
    const u = new URL(loc!, "http://any");
    return u.pathname + u.search;
  };
  const patch = (a: Api, loc: string, at: number, bytes: Buffer) =>
    a.fetch(loc, {
      method: "PATCH",
      body: new Uint8Array(bytes),
      headers: { "Content-Type": "application/octet-stream", "Content-Range": `${at}-${at + bytes.length - 1}` },
    });
  const status = async (a: Api, loc: string) => {
    const r = await a.fetch(loc);
    assert.equal(r.status, 204, await r.text());
    return r.headers.get("range");
  };

  it("chunk 1 on A, chunk 2 on B, chunk 3 on A again, the last chunk and the digest on C", async () => {
    const [A, B, C] = apis;
    // Sizes across S3's 5 MiB part minimum: the blob is composed from small and large pieces.
    const chunks = [crypto.randomBytes(6 * 1024 * 1024 + 7), crypto.randomBytes(100_003), crypto.randomBytes(2 * 1024 * 1024), crypto.randomBytes(999)];
    const blob = Buffer.concat(chunks);
    const digest = sha256(blob);

    let r = await A.fetch(`/v2/${repo}/blobs/uploads/`, { method: "POST" });
    assert.equal(r.status, 202);
    let loc = pathOf(r.headers.get("location"));
    let at = 0;
    for (const [node, chunk] of [[A, chunks[0]], [B, chunks[1]], [A, chunks[2]]] as const) {
      r = await patch(node, loc, at, chunk);
      assert.equal(r.status, 202, await r.text());
      at += chunk.length;
      loc = pathOf(r.headers.get("location"));
    }
    assert.equal(await status(C, loc), `0-${at - 1}`, "every node sees what the others stored");
    r = await C.fetch(`${loc}${loc.includes("?") ? "&" : "?"}digest=${digest}`, {
      method: "PUT",
      body: new Uint8Array(chunks[3]),
      headers: { "Content-Type": "application/octet-stream", "Content-Range": `${at}-${at + chunks[3].length - 1}` },
    });
    assert.equal(r.status, 201, await r.text());
    assert.equal(r.headers.get("docker-content-digest"), digest);

    for (const [i, node] of apis.entries()) {
      r = await node.fetch(`/v2/${repo}/blobs/${digest}`);
      assert.equal(r.status, 200, `node ${i}`);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(blob), `node ${i} serves the bytes`);
    }

    // And as an image: a manifest pushed on B, pulled from A and C.
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
    const configDigest = await C.pushBlob(repo, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest, size: blob.length }],
      }),
    );
    r = await B.pushManifest(repo, "v1", manifest);
    assert.equal(r.status, 201, await r.text());
    for (const node of [A, C]) {
      r = await node.fetch(`/v2/${repo}/manifests/v1`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
      assert.equal(r.status, 200);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(manifest));
    }
  });

  it("a wrong digest is refused by a node that saw none of the chunks, and nothing is stored", async () => {
    const [A, B, C] = apis;
    const chunks = [crypto.randomBytes(300_000), crypto.randomBytes(300_000)];
    let r = await A.fetch(`/v2/${repo}/blobs/uploads/`, { method: "POST" });
    let loc = pathOf(r.headers.get("location"));
    r = await patch(A, loc, 0, chunks[0]);
    loc = pathOf(r.headers.get("location"));
    r = await patch(B, loc, chunks[0].length, chunks[1]);
    assert.equal(r.status, 202);
    loc = pathOf(r.headers.get("location"));
    // The digest of what the client meant to send, but one byte differs from what was stored.
    const meant = Buffer.concat(chunks);
    meant[meant.length - 1] ^= 1;
    r = await C.fetch(`${loc}${loc.includes("?") ? "&" : "?"}digest=${sha256(meant)}`, { method: "PUT" });
    assert.equal(r.status, 400);
    assert.equal(await ociError(r), "DIGEST_INVALID");
    for (const node of apis) assert.equal((await node.fetch(`/v2/${repo}/blobs/${sha256(meant)}`, { method: "HEAD" })).status, 404);
    assert.equal((await B.fetch(loc)).status, 404, "the session is gone on every node");
  });
});
