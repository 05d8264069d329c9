import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { db } from "../core/db";
import { BlobBeingCollected, claimBlob, ClaimLapsed, DELETE_MARK_MS, PUSH_CLAIM_MS, queueBlobReviews, releaseFailedClaim, settleClaim } from "./gc-queue";
import { collectGarbage } from "./gc";
import { manifestService } from "./manifest-service";
import { blobDataPath } from "./paths";
import type { Repo } from "./repository-resolver";
import { storage } from "./storage";
import { closeTempDatabase, useEngineRepositories } from "../../test/helpers/test-db";
import { uploadSessions } from "./upload-session";

/** The collector's protocol with pushes, step by step, against a real SQLite file and filesystem. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const run = (graceMs = 0) => collectGarbage({ graceMs, uploadMaxIdleMs: 86_400_000 });

async function push(repo: Repo, bytes: Buffer): Promise<string> {
  const s = await uploadSessions.start(repo);
  return (await uploadSessions.finish(repo, s.id, sha(bytes), Readable.from([bytes]))).digest;
}

async function image(repo: Repo, tag: string, layer: Buffer) {
  const l = await push(repo, layer);
  const configBytes = Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", rootfs: { type: "layers", diff_ids: [] }, tag }));
  const c = await push(repo, configBytes);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: c, size: configBytes.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l, size: layer.length }],
    }),
  );
  const out = await manifestService.put(repo, tag, bytes, "application/vnd.oci.image.manifest.v1+json");
  return { digest: out.digest, layer: l, config: c };
}

const onDisk = async (digest: string) => (await storage().stat(blobDataPath(digest))) !== null;

describe("garbage collection protocol", () => {
  let dir: string;
  let repo: Repo;
  let other: Repo;

  before(async () => {
    ({ dataDir: dir, repo, other } = await useEngineRepositories());
  });
  after(() => closeTempDatabase(dir));

  it("a pushed blob no manifest names is collected only after the grace period", async () => {
    const d = await push(repo, crypto.randomBytes(500));
    assert.equal((await run(3600_000)).linksRemoved, 0);
    assert.ok(await onDisk(d));
    const r = await run(0);
    assert.equal(r.linksRemoved, 1);
    assert.ok(r.items.some((i) => i.kind === "blob" && i.digest === d));
    assert.ok(!(await onDisk(d)));
  });

  it("deleting a manifest frees what only it held; a layer another repository's manifest names stays", async () => {
    const shared = crypto.randomBytes(700);
    const a = await image(repo, "a", shared);
    const b = await image(other, "b", shared);
    await manifestService.delete(repo, a.digest);
    const dry = await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000, dryRun: true });
    const wouldFree = new Set(dry.items.filter((i) => i.kind === "blob").map((i) => i.digest));
    assert.ok(wouldFree.has(a.config) && wouldFree.has(a.digest) && !wouldFree.has(b.layer));
    assert.ok(await onDisk(a.config), "a dry run deletes nothing");
    const real = await run(0);
    assert.deepEqual(new Set(real.items.filter((i) => i.kind === "blob").map((i) => i.digest)), wouldFree, "the dry run listed exactly what the run freed");
    assert.ok(!(await onDisk(a.config)) && !(await onDisk(a.digest)));
    assert.ok(await onDisk(b.layer));
  });

  it("a push's claim keeps a collector off the blob; a collector's fresh mark makes the push wait; a stale mark is taken over", async () => {
    const bytes = crypto.randomBytes(300);
    const d = sha(bytes);
    // A claim (bytes on their way) is not collected, even though nothing links the blob.
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    assert.equal((await run(0)).blobsDeleted, 0);
    assert.equal(await db().blob.count({ where: { digest: d } }), 1);
    // The same blob marked by a collector: a push meets BlobBeingCollected (and waits, see retryWhileCollected).
    await db().blob.update({ where: { digest: d }, data: { claimedAt: null, deletingAt: new Date() } });
    await assert.rejects(db().$transaction((tx) => claimBlob(tx, d, bytes.length)), BlobBeingCollected);
    // A mark older than any collector acts on: the push takes the blob over.
    await db().blob.update({ where: { digest: d }, data: { deletingAt: new Date(Date.now() - DELETE_MARK_MS - 1000) } });
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    assert.equal((await db().blob.findUniqueOrThrow({ where: { digest: d } })).deletingAt, null);
    // A claim that lapsed without a push finishing (the pusher died) is collected.
    await db().blob.update({ where: { digest: d }, data: { claimedAt: new Date(Date.now() - PUSH_CLAIM_MS - 1000) } });
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    await run(0);
    assert.equal(await db().blob.count({ where: { digest: d } }), 0);
  });

  it("two pushes of one blob: the first to finish leaves the second's claim in force", async () => {
    const bytes = crypto.randomBytes(320);
    const d = sha(bytes);
    // Both claim (bytes on their way); the first writes its rows, and its link goes (no manifest named it in time).
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    await db().$transaction((tx) => settleClaim(tx, d));
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    // Nothing links the blob, but the second push is still moving its bytes in: the collector keeps off.
    assert.equal((await run(0)).blobsDeleted, 0);
    assert.equal((await db().blob.findUniqueOrThrow({ where: { digest: d } })).deletingAt, null);
    // A push that fails gives its claim back without taking the row from the other one.
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    assert.equal(await db().$transaction((tx) => releaseFailedClaim(tx, d)), false);
    assert.equal(await db().blob.count({ where: { digest: d } }), 1);
    // The second finishes: with no claim left and nothing linking it, the next run collects it.
    await db().$transaction((tx) => settleClaim(tx, d));
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    assert.equal((await run(0)).blobsDeleted, 1);
    assert.equal(await db().blob.count({ where: { digest: d } }), 0);
  });

  it("a push whose claim a collector voided (it outlasted PUSH_CLAIM_MS) is refused, never recorded without bytes", async () => {
    const bytes = crypto.randomBytes(330);
    const d = sha(bytes);
    await db().$transaction((tx) => claimBlob(tx, d, bytes.length));
    await db().blob.update({ where: { digest: d }, data: { claimedAt: new Date(Date.now() - PUSH_CLAIM_MS - 1000) } });
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    await run(0);
    assert.equal(await db().blob.count({ where: { digest: d } }), 0, "a lapsed claim is collected");
    await assert.rejects(db().$transaction((tx) => settleClaim(tx, d)), ClaimLapsed);
    assert.equal(await db().blob.count({ where: { digest: d } }), 0);
  });

  it("storage refusing a deletion fails the run but leaves no mark on bytes still whole", async () => {
    const d = await push(repo, crypto.randomBytes(410));
    const driver = storage();
    const realDelete = driver.delete.bind(driver);
    // The store refuses once (a network error, a permission): the real driver otherwise.
    driver.delete = async () => {
      throw new Error("storage refused the deletion");
    };
    try {
      await assert.rejects(run(0), /storage refused/);
    } finally {
      driver.delete = realDelete;
    }
    assert.equal((await db().blob.findUniqueOrThrow({ where: { digest: d } })).deletingAt, null, "no push waits out a mark");
    assert.ok(await onDisk(d));
    const r = await run(0);
    assert.ok(r.items.some((i) => i.kind === "blob" && i.digest === d), "the next run deletes it");
    assert.ok(!(await onDisk(d)));
  });

  it("a collector that died after marking leaves nothing stuck: the next run finishes the blob", async () => {
    const d = await push(repo, crypto.randomBytes(400));
    await db().blobLink.deleteMany({ where: { digest: d } });
    await db().linkReview.deleteMany({ where: { digest: d } });
    await db().blob.update({ where: { digest: d }, data: { deletingAt: new Date(Date.now() - DELETE_MARK_MS - 1000) } });
    const r = await run(0);
    assert.ok(r.items.some((i) => i.kind === "blob" && i.digest === d));
    assert.equal(await db().blob.count({ where: { digest: d } }), 0);
    assert.ok(!(await onDisk(d)));
  });

  it("a manifest naming a blob whose link was collected is refused, not stored broken", async () => {
    const layer = crypto.randomBytes(600);
    const l = await push(repo, layer);
    // The link goes (as a collector would take it) between the client's upload and its manifest.
    await db().blobLink.delete({ where: { repositoryId_digest: { repositoryId: repo.id, digest: l } } });
    const configBytes = Buffer.from("{}");
    const c = await push(repo, configBytes);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: c, size: configBytes.length },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: l, size: layer.length }],
      }),
    );
    await assert.rejects(manifestService.put(repo, "late", bytes, "application/vnd.oci.image.manifest.v1+json"), (err: Error & { code?: string }) => err.code === "MANIFEST_BLOB_UNKNOWN");
    assert.equal(await db().manifest.count({ where: { repositoryId: repo.id, digest: sha(bytes) } }), 0);
  });
});
