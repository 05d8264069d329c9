import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseUrlOf } from "../helpers/backends";
import { queryPostgres } from "../helpers/test-postgres";
import { rawHttp } from "../helpers/raw-http";
import { createRegistryRow, token } from "../helpers/registry-fixtures";
import { storageOf } from "../helpers/stored-blobs";
import { startWharf, UNLIMITED_SKUS_ENV, type Wharf } from "../helpers/wharf";

/**
 * Fault test (issue 11): 20 pushes at once of distinct images, several layers
 * each, some layers shared by all of them, and the server killed with SIGKILL
 * part-way through; restarted on the same data dir; three rounds. Afterwards:
 * every blob file in storage hashes to its digest, every blob row has its file,
 * every tag whose manifest PUT was answered 201 pulls whole and byte-exact, and
 * every image (confirmed or not) can be pushed again and then pulls.
 * crash.test.ts covers one upload session killed mid-stream; this covers many
 * pushes, manifests and shared blobs committed concurrently when the kill lands.
 * Images differ in size (1–4 own layers of 64 KiB–2 MiB), so when the kill
 * comes some pushes are confirmed and others are mid-blob; it is triggered by
 * progress (a number of confirmed manifests, different each round), not by time.
 */
const PUSHES = 20;
const ROUNDS = 3;
const KiB = 1024;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

type Blob = { digest: string; data: Buffer };
type Image = { repo: string; tag: string; config: Blob; layers: Blob[]; manifest: Buffer; chunked: boolean };

const blob = (data: Buffer): Blob => ({ digest: `sha256:${crypto.createHash("sha256").update(data).digest("hex")}`, data });

/** Layers every image of a round shares (pushed concurrently by all of them), and per-image ones. */
function makeImages(round: number, shared: Blob[]): Image[] {
  return Array.from({ length: PUSHES }, (_, i) => {
    const own = Array.from({ length: 1 + (i % 4) }, () => blob(crypto.randomBytes((64 + 96 * i + crypto.randomInt(64)) * KiB)));
    const config = blob(Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] }, round, i })));
    const layers = [shared[i % shared.length], ...own, shared[(i + 1) % shared.length]];
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config.digest, size: config.data.length },
        layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l.digest, size: l.data.length })),
      }),
    );
    return { repo: `contoso/app${String(i).padStart(2, "0")}`, tag: `r${round}`, config, layers, manifest, chunked: i % 2 === 0 };
  });
}

describe("SIGKILL during 20 concurrent pushes, three rounds", () => {
  let w: Wharf;
  const confirmed: Image[] = [];
  const all: Image[] = [];

  before(async () => {
    // Hundreds of writes a minute: lift the SKU write limit so only the kill interrupts pushes.
    w = await startWharf({ env: UNLIMITED_SKUS_ENV });
    await createRegistryRow(w, "contoso");
  });
  after(async () => {
    await w?.stop();
    if (w) fs.rmSync(w.dataDir, { recursive: true, force: true });
  });

  const auth = async () => `Bearer ${await token(w, Array.from({ length: PUSHES }, (_, i) => `repository:contoso/app${String(i).padStart(2, "0")}:pull,push`))}`;

  /** One blob: monolithic, or POST + three PATCH chunks + PUT. Returns false when any step was not answered as hoped. */
  async function pushBlob(bearer: string, repo: string, b: Blob, chunked: boolean): Promise<boolean> {
    const headers = { Authorization: bearer };
    if (!chunked) {
      const r = await rawHttp(w.port, { method: "POST", path: `/v2/${repo}/blobs/uploads/?digest=${b.digest}`, headers, body: b.data });
      return r.status === 201;
    }
    const start = await rawHttp(w.port, { method: "POST", path: `/v2/${repo}/blobs/uploads/`, headers });
    if (start.status !== 202) return false;
    const loc = new URL(start.headers.location, w.url).pathname;
    const cut = [0, Math.floor(b.data.length / 3), Math.floor((2 * b.data.length) / 3), b.data.length];
    for (let c = 0; c < 3; c++) {
      const part = b.data.subarray(cut[c], cut[c + 1]);
      const r = await rawHttp(w.port, { method: "PATCH", path: loc, headers: { ...headers, "Content-Range": `${cut[c]}-${cut[c + 1] - 1}` }, body: part });
      if (r.status !== 202) return false;
    }
    const done = await rawHttp(w.port, { method: "PUT", path: `${loc}?digest=${b.digest}`, headers });
    return done.status === 201;
  }

  /** Pushes one image; true only when the manifest PUT answered 201. */
  async function pushImage(bearer: string, img: Image, onConfirmed: () => void): Promise<boolean> {
    for (const b of [...img.layers, img.config]) {
      if (!(await pushBlob(bearer, img.repo, b, img.chunked))) return false;
    }
    const r = await rawHttp(w.port, { method: "PUT", path: `/v2/${img.repo}/manifests/${img.tag}`, headers: { Authorization: bearer, "Content-Type": OCI_MANIFEST }, body: img.manifest });
    if (r.status !== 201) return false;
    onConfirmed();
    return true;
  }

  /** Every stored blob hashes to its name; every Blob row has stored bytes of its size (files or the S3 bucket). */
  async function checkStorage(): Promise<void> {
    const store = storageOf(w);
    const files = new Map<string, number>();
    for (const alg of ["sha256", "sha512"]) {
      for (const prefix of await store.list(alg)) {
        for (const hex of await store.list(`${alg}/${prefix}`)) {
          const file = `${alg}/${prefix}/${hex}/data`;
          const bytes = await store.getContent(file).catch(() => null);
          if (!bytes) continue;
          assert.equal(crypto.createHash(alg).update(bytes).digest("hex"), hex, `${file} does not match its digest`);
          files.set(`${alg}:${hex}`, bytes.length);
        }
      }
    }
    // A row a push claimed and never linked is that push in flight (killed before its bytes moved in): it stores
    // nothing yet, and garbage collection removes it once the claim has lapsed. A row carrying a collector's mark
    // (deletingAt) is a collection the kill interrupted between deleting the bytes and the row: named by nothing,
    // finished by the next run or taken over by the next push of its digest. Any other row must have its bytes.
    const named = `(EXISTS (SELECT 1 FROM "BlobLink" l WHERE l.digest = b.digest) OR EXISTS (SELECT 1 FROM "Manifest" m WHERE m.digest = b.digest))`;
    const stored = `SELECT b.digest, b.size, b."deletingAt" IS NOT NULL AS "marked" FROM "Blob" b
      WHERE (b."deletingAt" IS NULL AND b."claimedAt" IS NULL) OR ${named}`;
    const url = databaseUrlOf(w.dataDir);
    let rows: { digest: string; size: number | bigint | string; marked: boolean | number }[];
    if (url.startsWith("file:")) {
      const db = new Database(url.slice("file:".length), { readonly: true });
      try {
        rows = db.prepare(stored).all() as typeof rows;
      } finally {
        db.close();
      }
    } else rows = await queryPostgres(url, stored);
    for (const row of rows) {
      assert.ok(!row.marked, `blob row ${row.digest} is marked for collection, yet a link or manifest names it`);
      assert.equal(files.get(row.digest), Number(row.size), `blob row ${row.digest} has no file of ${row.size} bytes`);
    }
  }

  /** Pulls a tag as a client would: the manifest by tag, then every blob, all byte-exact. */
  async function pullWhole(bearer: string, img: Image): Promise<void> {
    const headers = { Authorization: bearer, Accept: OCI_MANIFEST };
    const m = await fetch(`${w.url}/v2/${img.repo}/manifests/${img.tag}`, { headers });
    assert.equal(m.status, 200, `${img.repo}:${img.tag} was confirmed but does not pull`);
    assert.ok(Buffer.from(await m.arrayBuffer()).equals(img.manifest), `${img.repo}:${img.tag} manifest bytes differ`);
    for (const b of [img.config, ...img.layers]) {
      const r = await fetch(`${w.url}/v2/${img.repo}/blobs/${b.digest}`, { headers });
      assert.equal(r.status, 200, `${img.repo} blob ${b.digest}`);
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(b.data), `${img.repo} blob ${b.digest} bytes differ`);
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: kill -9 mid-push, restart, storage consistent and every confirmed tag pulls`, async (t) => {
      const shared = [0, 1, 2, 3].map(() => blob(crypto.randomBytes(1024 * KiB)));
      const images = makeImages(round, shared);
      all.push(...images);
      const bearer = await auth();
      const killAt = 1 + 3 * round; // confirmed pushes before the kill: a different point each round
      let done = 0;
      let killing: Promise<void> | null = null;
      const onConfirmed = () => {
        if (++done === killAt) killing = w.kill();
      };
      const outcomes = await Promise.all(images.map((img) => pushImage(bearer, img, onConfirmed).catch(() => false)));
      assert.ok(killing, `the kill point (${killAt} confirmed pushes) was reached`);
      await killing;
      outcomes.forEach((ok, i) => ok && confirmed.push(images[i]));
      const ok = outcomes.filter(Boolean).length;
      t.diagnostic(`round ${round}: ${ok} of ${PUSHES} pushes confirmed before the kill`);
      assert.ok(ok >= killAt && ok < PUSHES, `the kill came mid-way: ${ok} of ${PUSHES} confirmed`);

      w = await w.restart();
      await checkStorage();
      const after = await auth();
      for (const img of confirmed) await pullWhole(after, img);
    });
  }

  it("after three rounds every image pushes again and pulls", async () => {
    const bearer = await auth();
    // Five clients at a time, as a CI fleet retrying after the outage (one at a time took 4.5 minutes on S3).
    const queue = [...all];
    const client = async () => {
      for (let img = queue.shift(); img; img = queue.shift()) {
        for (const b of [...img.layers, img.config]) assert.ok(await pushBlob(bearer, img.repo, b, img.chunked), `${img.repo}:${img.tag} blob re-push`);
        const r = await rawHttp(w.port, { method: "PUT", path: `/v2/${img.repo}/manifests/${img.tag}`, headers: { Authorization: bearer, "Content-Type": OCI_MANIFEST }, body: img.manifest });
        assert.equal(r.status, 201, `${img.repo}:${img.tag} manifest re-push: ${r.body}`);
      }
    };
    await Promise.all(Array.from({ length: 5 }, client));
    for (const img of all) await pullWhole(bearer, img);
    await checkStorage();
  });
});
