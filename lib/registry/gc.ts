import { db, type Tx } from "../core/db";
import { logger } from "../core/logging";
import { Prisma } from "../generated/prisma/client";
import { claimInForce, DELETE_MARK_MS, queueBlobReviews } from "./gc-queue";
import { manifestBytes } from "./manifest-cache";
import { createManyOnce, lockBlob, lockBlobLink, lockBlobReview, lockLinkReview } from "./row-locks";
import { UPLOADS_DIR, blobDataPath, blobDir, uploadDataPath, uploadDir } from "./paths";
import { storage } from "./storage";

/**
 * Online garbage collection. The review queues (gc-queue.ts) say what may have become collectable; each entry is
 * re-checked and removed in one short transaction that holds the write lock from its start (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: SELECT … FOR UPDATE of the link or blob row it decides about, which every push writes first, see
 * row-locks.ts), so a push that links or names the same content either commits first (and is seen) or waits (and
 * then finds the content gone and says so). Bytes go only while their row carries this collector's deletion mark, and a push that meets
 * the mark waits for it. Any number of collectors may run at once, in any process: none depends on another's memory.
 */

export type GcOptions = {
  /** Only this registry's repositories, uploads and released blobs. */
  registryId?: string;
  /** A link is reviewed once no manifest has named it for this long. */
  graceMs: number;
  /** Upload sessions idle this long are removed with their bytes. */
  uploadMaxIdleMs: number;
  /** Work out what a run would delete, delete nothing. */
  dryRun?: boolean;
  onProgress?: (p: GcProgress) => void;
  /** Stops the run between two items (shutdown): nothing is left half-done. */
  signal?: AbortSignal;
};

export type GcProgress = { phase: "links" | "blobs" | "uploads" | "done"; reviewed: number; blobsDeleted: number; bytesFreed: number };

export type GcItem = { kind: "link" | "blob" | "upload"; digest?: string; repositoryId?: string; uploadId?: string; size: number; registryId: string | null };

export type GcReport = {
  dryRun: boolean;
  linksReviewed: number;
  linksRemoved: number;
  blobsDeleted: number;
  bytesFreed: number;
  uploadsDeleted: number;
  uploadBytesFreed: number;
  /** What was (or, in a dry run, would be) deleted. */
  items: GcItem[];
};

const BATCH = 200;
// Collector transactions wait behind pushes (another process may hold SQLite's write lock): give them room.
const TX_OPTIONS = { maxWait: 30_000, timeout: 60_000 };

const registryOfRepos = (registryId?: string) => (registryId ? { repository: { registryId } } : {});

/** Deletes the link unless a manifest (or a recycle-bin entry) of its repository names the blob. */
async function reviewLink(tx: Tx, repositoryId: string, digest: string, cutoff: Date, dryRun: boolean): Promise<{ removed: boolean; registryId: string | null }> {
  // PostgreSQL: wait for a push or restore that holds the link (it updates the link it relies on) and read after it.
  await lockBlobLink(tx, repositoryId, digest);
  await lockLinkReview(tx, repositoryId, digest);
  const q = await tx.linkReview.findUnique({ where: { repositoryId_digest: { repositoryId, digest } }, select: { since: true, repository: { select: { registryId: true } } } });
  // Gone (another collector) or moved forward (a push named it again): nothing to do now.
  if (!q || q.since > cutoff) return { removed: false, registryId: null };
  const registryId = q.repository.registryId;
  const [named, binned, link] = await Promise.all([
    tx.manifestReference.count({ where: { digest, manifest: { repositoryId } } }),
    tx.recycledReference.count({ where: { digest, entry: { repositoryId } } }),
    tx.blobLink.findUnique({ where: { repositoryId_digest: { repositoryId, digest } }, select: { digest: true } }),
  ]);
  const removed = !!link && !named && !binned;
  if (dryRun) return { removed, registryId };
  await tx.linkReview.delete({ where: { repositoryId_digest: { repositoryId, digest } } });
  if (removed) {
    await tx.blobLink.delete({ where: { repositoryId_digest: { repositoryId, digest } } });
    await queueBlobReviews(tx, [digest], registryId);
  }
  return { removed, registryId };
}

type Marked = { size: number; mark: Date; registryId: string | null } | null;

/** Marks the blob for deletion when nothing names it; the caller then deletes its bytes and its row. */
async function markBlob(tx: Tx, digest: string, now: Date, dryRun: boolean): Promise<Marked> {
  // PostgreSQL: every push, mount and restore of the digest writes its Blob row first; wait for it, read after it.
  await lockBlob(tx, digest);
  await lockBlobReview(tx, digest);
  const q = await tx.blobReview.findUnique({ where: { digest }, select: { registryId: true } });
  if (!q) return null;
  const row = await tx.blob.findUnique({ where: { digest }, select: { size: true, deletingAt: true, claims: true, claimedAt: true } });
  if (!row) {
    if (!dryRun) await tx.blobReview.delete({ where: { digest } });
    return null;
  }
  // Another collector is on it, or pushes hold claims on it (their bytes are on their way): look again later.
  // A mark older than DELETE_MARK_MS is a collector that died between its steps: no one acts on it, so look afresh.
  if (row.deletingAt && now.getTime() - row.deletingAt.getTime() < DELETE_MARK_MS) return null;
  if (claimInForce(row, now)) return null;
  const [links, manifests, binned] = await Promise.all([
    tx.blobLink.count({ where: { digest } }),
    tx.manifest.count({ where: { digest } }),
    tx.recycledManifest.count({ where: { digest } }),
  ]);
  const dangling = !links && !manifests && !binned;
  if (dryRun) return dangling ? { size: Number(row.size), mark: now, registryId: q.registryId } : null;
  await tx.blobReview.delete({ where: { digest } });
  if (!dangling) return null;
  // Claims that lapsed are void from here: a push that still settles one is refused (its bytes are going).
  await tx.blob.update({ where: { digest }, data: { deletingAt: now, claims: 0, claimedAt: null } });
  return { size: Number(row.size), mark: now, registryId: q.registryId };
}

async function deleteMarkedBlob(digest: string, mark: Date, size: number): Promise<boolean> {
  // Past half the mark's life a push may take the blob over soon: leave the bytes, lift the mark, try next time.
  if (Date.now() - mark.getTime() > DELETE_MARK_MS / 2) {
    await liftMark(digest, mark);
    return false;
  }
  // Row last: a collection interrupted here leaves a marked row, which the next push takes over or the next run finishes.
  try {
    await storage().delete(blobDir(digest));
  } catch (err) {
    // Storage refused. Bytes still whole: the row goes back under review unmarked, so no push waits out the mark.
    // Partly gone: the mark stays (a mount would otherwise link missing bytes) until it is stale, when a push
    // takes the row over with its own bytes or a later run finishes the deletion.
    const left = await storage().stat(blobDataPath(digest)).catch(() => null);
    if (left && left.size === size) await liftMark(digest, mark).catch(() => undefined);
    throw err;
  }
  manifestBytes().delete(digest);
  await db().blob.deleteMany({ where: { digest, deletingAt: mark } });
  return true;
}

/** The blob stays: this collector's mark comes off, and the blob is queued for the next run to look at again. */
async function liftMark(digest: string, mark: Date): Promise<void> {
  await db().blob.updateMany({ where: { digest, deletingAt: mark }, data: { deletingAt: null } });
  await createManyOnce(db().blobReview, [{ digest }]);
}

export async function collectGarbage(opts: GcOptions): Promise<GcReport> {
  const dryRun = !!opts.dryRun;
  const report: GcReport = { dryRun, linksReviewed: 0, linksRemoved: 0, blobsDeleted: 0, bytesFreed: 0, uploadsDeleted: 0, uploadBytesFreed: 0, items: [] };
  const progress = (phase: GcProgress["phase"]) =>
    opts.onProgress?.({ phase, reviewed: report.linksReviewed, blobsDeleted: report.blobsDeleted, bytesFreed: report.bytesFreed });
  const started = new Date();
  const cutoff = new Date(started.getTime() - opts.graceMs);
  // Links a dry run would remove, so it can tell which blobs would then be left with none.
  const wouldUnlink = new Map<string, number>();

  // 1. Links: keyset over the queue (oldest first); entries a run leaves behind are skipped, not re-read.
  let after: { since: Date; repositoryId: string; digest: string } | null = null;
  for (;;) {
    const due: { since: Date; repositoryId: string; digest: string }[] = await db().linkReview.findMany({
      where: {
        since: { lte: cutoff },
        ...registryOfRepos(opts.registryId),
        ...(after ? { OR: [{ since: { gt: after.since } }, { since: after.since, repositoryId: { gt: after.repositoryId } }, { since: after.since, repositoryId: after.repositoryId, digest: { gt: after.digest } }] } : {}),
      },
      orderBy: [{ since: "asc" }, { repositoryId: "asc" }, { digest: "asc" }],
      take: BATCH,
      select: { since: true, repositoryId: true, digest: true },
    });
    if (!due.length) break;
    after = due[due.length - 1];
    for (const { repositoryId, digest } of due) {
      if (opts.signal?.aborted) return report;
      const r = await db().$transaction((tx) => reviewLink(tx, repositoryId, digest, cutoff, dryRun), TX_OPTIONS);
      report.linksReviewed++;
      if (!r.removed) continue;
      report.linksRemoved++;
      if (dryRun) {
        wouldUnlink.set(digest, (wouldUnlink.get(digest) ?? 0) + 1);
        report.items.push({ kind: "link", repositoryId, digest, size: 0, registryId: r.registryId });
      }
    }
    progress("links");
  }

  // 2. Blobs: no grace here (the mark protects pushes), so everything queued is due; marks left by a collector that
  // died between its two steps are queued again first.
  if (!dryRun) await requeueStaleMarks(opts.registryId);
  const blobFilter = opts.registryId ? { registryId: opts.registryId } : {};
  let lastDigest = "";
  for (;;) {
    const due = await db().blobReview.findMany({ where: { ...blobFilter, digest: { gt: lastDigest } }, orderBy: { digest: "asc" }, take: BATCH, select: { digest: true } });
    if (!due.length) break;
    lastDigest = due[due.length - 1].digest;
    for (const { digest } of due) {
      if (opts.signal?.aborted) return report;
      const marked = await db().$transaction((tx) => markBlob(tx, digest, new Date(), dryRun), TX_OPTIONS);
      if (!marked) continue;
      if (dryRun || (await deleteMarkedBlob(digest, marked.mark, marked.size))) {
        report.blobsDeleted++;
        report.bytesFreed += marked.size;
        report.items.push({ kind: "blob", digest, size: marked.size, registryId: marked.registryId });
      }
    }
    progress("blobs");
  }
  if (dryRun) await addBlobsFreedByUnlinks(report, wouldUnlink);

  // 3. Upload sessions idle too long (idle time is the bytes' modification time: appending never writes the
  // database), and upload bytes with no session row (a crash between the two steps of starting one).
  await collectUploads(opts, report);
  progress("done");
  return report;
}

async function requeueStaleMarks(registryId?: string): Promise<void> {
  const stale = await db().blob.findMany({ where: { deletingAt: { lt: new Date(Date.now() - DELETE_MARK_MS) } }, select: { digest: true }, take: 10_000 });
  if (stale.length) await db().$transaction((tx) => queueBlobReviews(tx, stale.map((b) => b.digest), registryId ?? null), TX_OPTIONS);
}

/** Dry run: blobs whose every link the run would remove, and which no manifest or bin entry holds. */
async function addBlobsFreedByUnlinks(report: GcReport, wouldUnlink: Map<string, number>): Promise<void> {
  const counted = new Set(report.items.filter((i) => i.kind === "blob").map((i) => i.digest));
  for (const [digest, removed] of wouldUnlink) {
    if (counted.has(digest)) continue;
    const [links, manifests, binned, blob] = await Promise.all([
      db().blobLink.count({ where: { digest } }),
      db().manifest.count({ where: { digest } }),
      db().recycledManifest.count({ where: { digest } }),
      db().blob.findUnique({ where: { digest }, select: { size: true } }),
    ]);
    if (blob && links <= removed && !manifests && !binned) {
      const size = Number(blob.size);
      report.blobsDeleted++;
      report.bytesFreed += size;
      const link = report.items.find((i) => i.kind === "link" && i.digest === digest);
      report.items.push({ kind: "blob", digest, size, registryId: link?.registryId ?? null });
    }
  }
}

async function collectUploads(opts: GcOptions, report: GcReport): Promise<void> {
  const orphanAge = Math.min(opts.uploadMaxIdleMs, 3600_000);
  const rows = new Map((await db().upload.findMany({ select: { id: true, repository: { select: { registryId: true } } } })).map((u) => [u.id, u.repository.registryId]));
  for (const id of await storage().list(UPLOADS_DIR)) {
    const registryId = rows.get(id) ?? null;
    if (opts.registryId && registryId !== opts.registryId) continue;
    const info = (await storage().stat(uploadDataPath(id))) ?? (await storage().stat(uploadDir(id)));
    if (!info) continue;
    const age = Date.now() - info.modifiedAt.getTime();
    if (!(rows.has(id) ? age > opts.uploadMaxIdleMs : age > orphanAge)) continue;
    const size = info.isDirectory ? 0 : info.size;
    report.uploadsDeleted++;
    report.uploadBytesFreed += size;
    report.items.push({ kind: "upload", uploadId: id, size, registryId });
    if (opts.dryRun) continue;
    await db().upload.deleteMany({ where: { id } });
    await storage().delete(uploadDir(id));
  }
}

/**
 * What is waiting for collection: links under review that no manifest names (their blobs' bytes, counted once per
 * link, so an upper bound when another repository shares them) and blobs queued for deletion.
 */
export async function pendingCollection(registryId?: string): Promise<{ links: number; blobs: number; bytes: number }> {
  const inRegistry = registryId ? Prisma.sql`AND r."registryId" = ${registryId}` : Prisma.empty;
  const [links] = await db().$queryRaw<{ n: bigint | number; bytes: bigint | number | null }[]>`
    SELECT COUNT(*) AS "n", SUM(b."size") AS "bytes" FROM "LinkReview" q
    JOIN "Repository" r ON r."id" = q."repositoryId" JOIN "Blob" b ON b."digest" = q."digest"
    WHERE NOT EXISTS (SELECT 1 FROM "ManifestReference" mr JOIN "Manifest" m ON m."id" = mr."manifestId" WHERE mr."digest" = q."digest" AND m."repositoryId" = q."repositoryId")
      AND NOT EXISTS (SELECT 1 FROM "RecycledReference" rr JOIN "RecycledManifest" e ON e."id" = rr."entryId" WHERE rr."digest" = q."digest" AND e."repositoryId" = q."repositoryId")
      ${inRegistry}`;
  const byRegistry = registryId ? Prisma.sql`WHERE q."registryId" = ${registryId}` : Prisma.empty;
  const [blobs] = await db().$queryRaw<{ n: bigint | number; bytes: bigint | number | null }[]>`
    SELECT COUNT(*) AS "n", SUM(b."size") AS "bytes" FROM "BlobReview" q JOIN "Blob" b ON b."digest" = q."digest" ${byRegistry}`;
  return { links: Number(links.n), blobs: Number(blobs.n), bytes: Number(links.bytes ?? 0) + Number(blobs.bytes ?? 0) };
}

export function logReport(report: GcReport, scope: string): void {
  if (report.blobsDeleted || report.uploadsDeleted || report.linksRemoved) {
    logger().info({ scope, linksRemoved: report.linksRemoved, blobsDeleted: report.blobsDeleted, bytesFreed: report.bytesFreed, uploadsDeleted: report.uploadsDeleted }, "garbage collection freed space");
  }
}
