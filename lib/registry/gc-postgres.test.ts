import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { db, type Tx } from "../core/db";
import { claimBlob, queueBlobReviews, queueLinkReviews, useBlob } from "./gc-queue";
import { collectGarbage } from "./gc";
import { blobDataPath } from "./paths";
import { createRepositoryIn, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { closeTempDatabase, untilSomeoneWaitsOnALock, useEngineRepositories } from "../../test/helpers/test-db";
import { uploadSessions } from "./upload-session";

/**
 * PostgreSQL runs transactions side by side (READ COMMITTED), where SQLite queues them. A push that has written, but
 * not committed, the rows that keep a blob alive must make a collector running at that moment wait for it and then
 * see its rows, not decide from what was committed before. Each case holds a push transaction open, starts a
 * collector, waits until PostgreSQL reports the collector waiting on a lock, then commits the push.
 */
const onPostgres = !!process.env.WHARF_TEST_POSTGRES_URL;
const sha = (b: Buffer) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const onDisk = async (digest: string) => (await storage().stat(blobDataPath(digest))) !== null;

async function push(repo: Repo, bytes: Buffer): Promise<string> {
  const s = await uploadSessions.start(repo);
  return (await uploadSessions.finish(repo, s.id, sha(bytes), Readable.from([bytes]))).digest;
}

/** Runs `write` in a transaction that commits only once a collector started meanwhile waits on it; returns the run. */
async function collectWhilePushing(write: (tx: Tx) => Promise<void>) {
  let collecting: ReturnType<typeof collectGarbage> | undefined;
  await db().$transaction(async (tx) => {
    await write(tx);
    collecting = collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    await untilSomeoneWaitsOnALock();
  });
  return collecting!;
}

describe("garbage collection against concurrent pushes on PostgreSQL", { skip: !onPostgres && "needs WHARF_TEST_POSTGRES_URL" }, () => {
  let dir: string;
  let repo: Repo;

  before(async () => {
    ({ dataDir: dir, repo } = await useEngineRepositories());
  });
  after(() => closeTempDatabase(dir));

  it("a manifest naming a linked blob, committed while the collector reviews the link, keeps the link and the bytes", async () => {
    const layer = await push(repo, crypto.randomBytes(400));
    // As manifest-store's requireLinks + record do: update the link it relies on, then write the manifest's rows.
    const report = await collectWhilePushing(async (tx) => {
      await tx.blobLink.updateMany({ where: { repositoryId: repo.id, digest: layer }, data: { lastReferencedAt: new Date() } });
      const m = await tx.manifest.create({ data: { repositoryId: repo.id, digest: "sha256:" + "a".repeat(64), mediaType: "application/vnd.oci.image.manifest.v1+json", size: 2 }, select: { id: true } });
      await tx.manifestReference.create({ data: { manifestId: m.id, digest: layer, kind: "blob", size: BigInt(400) } });
    });
    assert.equal(report.linksRemoved, 0);
    assert.equal(await db().blobLink.count({ where: { repositoryId: repo.id, digest: layer } }), 1, "the link the manifest names is kept");
    assert.ok(await onDisk(layer));
  });

  it("a blob linked by a push that commits while the collector decides about it is not deleted", async () => {
    const bytes = crypto.randomBytes(300);
    const d = await push(repo, bytes);
    // Unlinked and queued, as after a manifest delete: collectable unless someone links it again.
    await db().blobLink.delete({ where: { repositoryId_digest: { repositoryId: repo.id, digest: d } } });
    await db().linkReview.deleteMany({ where: { repositoryId: repo.id, digest: d } });
    await db().$transaction((tx) => queueBlobReviews(tx, [d], null));
    // As a writer of bytes and rows in one transaction does: the Blob row first, link, queue the link's review.
    const report = await collectWhilePushing(async (tx) => {
      await useBlob(tx, d, bytes.length);
      await tx.blobLink.create({ data: { repositoryId: repo.id, digest: d } });
      await queueLinkReviews(tx, repo.id, [d], new Date(Date.now() + 3600_000));
    });
    assert.ok(!report.items.some((i) => i.kind === "blob" && i.digest === d), "not reported freed");
    assert.ok(await onDisk(d), "bytes kept");
    const row = await db().blob.findUnique({ where: { digest: d }, select: { deletingAt: true } });
    assert.ok(row && row.deletingAt === null, "not marked for deletion");
  });

  it("a push of a blob whose link a collector is removing waits for the removal, then links it afresh", async () => {
    const bytes = crypto.randomBytes(200);
    const d = await push(repo, bytes);
    // As reviewLink does with a link no manifest names: lock it, drop it with its review, queue the blob. The push
    // of the same blob (a CI client pushing a layer again) arrives while that transaction is still open.
    let again: Promise<string> | undefined;
    await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "BlobLink" WHERE "repositoryId" = ${repo.id} AND "digest" = ${d} FOR UPDATE`;
      await tx.$queryRaw`SELECT 1 FROM "LinkReview" WHERE "repositoryId" = ${repo.id} AND "digest" = ${d} FOR UPDATE`;
      await tx.linkReview.deleteMany({ where: { repositoryId: repo.id, digest: d } });
      await tx.blobLink.delete({ where: { repositoryId_digest: { repositoryId: repo.id, digest: d } } });
      await queueBlobReviews(tx, [d], repo.registryId);
      again = push(repo, bytes);
      await untilSomeoneWaitsOnALock();
    });
    // It used to read the old link, then fail (P2025, a 500) or confirm a link that was gone.
    assert.equal(await again, d);
    assert.equal(await db().blobLink.count({ where: { repositoryId: repo.id, digest: d } }), 1, "the push's link is there");
    assert.equal(await db().linkReview.count({ where: { repositoryId: repo.id, digest: d } }), 1, "and reviewed after the grace period");
    assert.ok(await onDisk(d));
  });

  it("two pushes creating the same new blob row at once both succeed", async () => {
    const d = sha(crypto.randomBytes(100));
    let first: Promise<unknown> | undefined;
    await db().$transaction(async (tx) => {
      await claimBlob(tx, d, 100);
      first = db().$transaction((other) => claimBlob(other, d, 100));
      await untilSomeoneWaitsOnALock();
    });
    await first;
    assert.equal(await db().blob.count({ where: { digest: d } }), 1);
    assert.equal((await db().blob.findUniqueOrThrow({ where: { digest: d } })).claims, 2, "each push holds its own claim");
  });

  it("two pushes creating the same new repository at once both get it", async () => {
    const target = { id: null, registryId: repo.registryId, registry: repo.registry, name: "raced", fullName: `${repo.registry}/raced` };
    let second: Promise<Repo> | undefined;
    const first = await db().$transaction(async (tx) => {
      const created = await createRepositoryIn(tx, target);
      second = db().$transaction((other) => createRepositoryIn(other, target));
      await untilSomeoneWaitsOnALock();
      return created;
    });
    assert.equal((await second!).id, first.id);
  });

  it("two transactions queueing the same review at once do not fail on the duplicate", async () => {
    const d = sha(crypto.randomBytes(100));
    let second: Promise<unknown> | undefined;
    await db().$transaction(async (tx) => {
      await queueBlobReviews(tx, [d], null);
      second = db().$transaction((other) => queueBlobReviews(other, [d], null));
      await untilSomeoneWaitsOnALock();
    });
    await second;
    assert.equal(await db().blobReview.count({ where: { digest: d } }), 1);
  });
});
