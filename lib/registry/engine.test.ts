import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { db } from "../core/db";
import { blobStore } from "./blob-store";
import { collectGarbage } from "./gc";
import { manifestService } from "./manifest-service";
import { blobDataPath, uploadDataPath } from "./paths";
import { findRepository, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { closeTempDatabase, useEngineRepositories } from "../../test/helpers/test-db";
import { uploadSessions } from "./upload-session";
import { splitName } from "../core/names";
import { WharfError } from "../core/errors";

/** The engine against a real SQLite file and a real filesystem driver, no HTTP. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const kindOf = (kind: string) => (err: unknown) => err instanceof WharfError && err.code === kind;

describe("registry engine", () => {
  let dir: string;
  let repo: Repo;
  let other: Repo;

  before(async () => {
    ({ dataDir: dir, repo, other } = await useEngineRepositories());
  });
  after(() => closeTempDatabase(dir));

  it("uploads in chunks, verifies the digest and links the blob into one repository", async () => {
    const data = crypto.randomBytes(70_000);
    const s = await uploadSessions.start(repo);
    await uploadSessions.append(repo, s.id, Readable.from([data.subarray(0, 30_000)]), { range: { start: 0, end: 29_999 } });
    await assert.rejects(uploadSessions.append(repo, s.id, Readable.from([data.subarray(0, 10)]), { range: { start: 0, end: 9 } }), kindOf("RANGE_INVALID"));
    assert.equal((await uploadSessions.status(repo, s.id)).size, 30_000);
    const desc = await uploadSessions.finish(repo, s.id, sha(data), Readable.from([data.subarray(30_000)]));
    assert.deepEqual(desc, { digest: sha(data), size: data.length });
    assert.deepEqual(await blobStore.stat(repo.id, sha(data)), { digest: sha(data), size: data.length });
    assert.equal(await blobStore.stat(other.id, sha(data)), null);
    assert.equal(await storage().stat(uploadDataPath(s.id)), null, "session bytes moved away");
    assert.equal((await storage().stat(blobDataPath(sha(data))))?.size, data.length);
    await assert.rejects(uploadSessions.status(repo, s.id), kindOf("BLOB_UPLOAD_UNKNOWN"));
  });

  it("a wrong digest leaves no blob and no session", async () => {
    const data = Buffer.from("some bytes");
    const s = await uploadSessions.start(repo);
    await assert.rejects(uploadSessions.finish(repo, s.id, sha("other"), Readable.from([data])), kindOf("DIGEST_INVALID"));
    assert.equal(await blobStore.stat(repo.id, sha(data)), null);
    assert.equal(await db().upload.count({ where: { id: s.id } }), 0);
    assert.equal(await storage().stat(uploadDataPath(s.id)), null);
  });

  it("accepts sha512 digests", async () => {
    const data = Buffer.from("sha512 content");
    const d = "sha512:" + crypto.createHash("sha512").update(data).digest("hex");
    const s = await uploadSessions.start(repo);
    assert.equal((await uploadSessions.finish(repo, s.id, d, Readable.from([data]))).digest, d);
    assert.ok(await blobStore.stat(repo.id, d));
  });

  it("stores a pushed blob once even when two repositories push it", async () => {
    const data = Buffer.from("shared layer");
    for (const r of [repo, other]) {
      const s = await uploadSessions.start(r);
      await uploadSessions.finish(r, s.id, sha(data), Readable.from([data]));
    }
    assert.equal(await db().blob.count({ where: { digest: sha(data) } }), 1);
    assert.equal(await db().blobLink.count({ where: { digest: sha(data) } }), 2);
  });

  it("manifests: references recorded, platforms of index children, subject", async () => {
    const layer = Buffer.from("layer!");
    const cfg = Buffer.from('{"os":"linux"}');
    for (const b of [layer, cfg]) {
      const s = await uploadSessions.start(repo);
      await uploadSessions.finish(repo, s.id, sha(b), Readable.from([b]));
    }
    const m = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha(cfg), size: cfg.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha(layer), size: layer.length }],
    }));
    const put = await manifestService.put(repo, "v1", m, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(put.digest, sha(m));
    const row = await db().manifest.findFirstOrThrow({ where: { repositoryId: repo.id, digest: sha(m) }, include: { references: true } });
    assert.equal(row.configDigest, sha(cfg));
    assert.equal(row.contentSize, BigInt(layer.length + cfg.length));
    assert.equal(row.artifactType, "application/vnd.oci.image.config.v1+json");
    assert.deepEqual(row.references.map((r) => r.kind).sort(), ["blob", "blob"]);

    const idx = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha(m), size: m.length, platform: { os: "linux", architecture: "arm", variant: "v7" } }],
      subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sha(m), size: m.length },
    }));
    const put2 = await manifestService.put(repo, sha(idx), idx, undefined);
    assert.equal(put2.subject, sha(m));
    const ref = await db().manifestReference.findFirstOrThrow({ where: { manifest: { digest: sha(idx) } } });
    assert.deepEqual([ref.kind, ref.platform], ["manifest", "linux/arm/v7"]);
    assert.deepEqual((await manifestService.referrers(repo, sha(m))).map((d) => d.digest), [sha(idx)]);
    assert.ok((await manifestService.bytes(await manifestService.resolve(repo, "v1"))).equals(m));
    await assert.rejects(manifestService.put(other, "v1", m, undefined), kindOf("MANIFEST_BLOB_UNKNOWN"));
  });

  it("garbage collection removes unreferenced blobs and orphan upload bytes, nothing else", async () => {
    const keep = Buffer.from("keep me");
    const drop = Buffer.from("drop me");
    for (const b of [keep, drop]) {
      const s = await uploadSessions.start(other);
      await uploadSessions.finish(other, s.id, sha(b), Readable.from([b]));
    }
    await blobStore.unlink(other.id, sha(drop));
    await storage().putContent(uploadDataPath(crypto.randomUUID()), Buffer.from("orphan"));
    const live = await uploadSessions.start(other);
    const res = await collectGarbage({ graceMs: 3600_000, uploadMaxIdleMs: 60_000 });
    assert.equal(res.blobsDeleted, 1);
    assert.equal(res.bytesFreed, drop.length);
    assert.equal(await db().blob.count({ where: { digest: sha(drop) } }), 0);
    assert.equal(await storage().stat(blobDataPath(sha(drop))), null);
    assert.ok(await blobStore.stat(other.id, sha(keep)));
    // Manifest bytes are kept while a manifest row names them.
    const m = await db().manifest.findFirstOrThrow({ where: { repositoryId: repo.id } });
    assert.ok(await storage().stat(blobDataPath(m.digest)));
    // The orphan is younger than an hour: kept; the live session: kept.
    assert.equal(res.uploadsDeleted, 0);
    assert.equal((await uploadSessions.status(other, live.id)).size, 0);
  });

  it("resolves names to NAME_UNKNOWN before anything else", async () => {
    await assert.rejects(findRepository(splitName("nosuch/app", null)), kindOf("NAME_UNKNOWN"));
    await assert.rejects(findRepository(splitName("contoso/never", null)), kindOf("NAME_UNKNOWN"));
  });
});
