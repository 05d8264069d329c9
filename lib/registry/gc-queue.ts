import type { Tx } from "../core/db";
import { createManyOnce, lockBlob, serializeBlobCreation } from "./row-locks";

/**
 * What garbage collection will look at, written in the same transaction as the change that may have made
 * something collectable. Nothing is deleted here: a review re-checks every reference in the transaction
 * that deletes, so a queue entry is only ever a hint.
 */

// Rows per statement: far below every database's bound on bound parameters.
const CHUNK = 200;

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

/** Links that may have lost their last manifest (or were just pushed): reviewed once `since` + grace has passed. */
export async function queueLinkReviews(tx: Tx, repositoryId: string, digests: Iterable<string>, since = new Date()): Promise<void> {
  const unique = [...new Set(digests)];
  for (const part of chunks(unique)) {
    // Existing entries move forward: a fresh push or delete restarts the grace period.
    await tx.linkReview.updateMany({ where: { repositoryId, digest: { in: part } }, data: { since } });
    const have = new Set((await tx.linkReview.findMany({ where: { repositoryId, digest: { in: part } }, select: { digest: true } })).map((r) => r.digest));
    const fresh = part.filter((d) => !have.has(d)).map((digest) => ({ repositoryId, digest, since }));
    await createManyOnce(tx.linkReview, fresh);
  }
}

/** Blobs that may have lost their last link or manifest; `registryId` is whose delete released them. */
export async function queueBlobReviews(tx: Tx, digests: Iterable<string>, registryId: string | null, since = new Date()): Promise<void> {
  const unique = [...new Set(digests)];
  for (const part of chunks(unique)) {
    await tx.blobReview.updateMany({ where: { digest: { in: part } }, data: { since, registryId } });
    const have = new Set((await tx.blobReview.findMany({ where: { digest: { in: part } }, select: { digest: true } })).map((r) => r.digest));
    const fresh = part.filter((d) => !have.has(d)).map((digest) => ({ digest, since, registryId }));
    await createManyOnce(tx.blobReview, fresh);
  }
}

/**
 * A blob whose bytes garbage collection is deleting right now (its row carries a fresh `deletingAt`). A writer
 * that meets it waits and tries again: its own bytes are then stored once the collection has finished.
 */
export class BlobBeingCollected extends Error {
  constructor(readonly digest: string) {
    super(`blob ${digest} is being garbage-collected`);
    this.name = "BlobBeingCollected";
  }
}

/**
 * How long a collection may hold a blob marked for deletion. A collector starts deleting bytes only within
 * half of it; after it, a writer takes the blob over (the collector died between its two steps).
 */
export const DELETE_MARK_MS = 60_000;

/** How long a push's claim on a blob (Blob.claimedAt) keeps a collector off it while its bytes move into place. */
export const PUSH_CLAIM_MS = 60_000;

/**
 * Claims a blob for a push, first statement of the pushing transaction: the Blob row's write lock orders it with a
 * collector's. Creates the row when missing; throws BlobBeingCollected while a collector deletes the bytes.
 * `hold`: keep collectors off for PUSH_CLAIM_MS (bytes still to move in, rows in a later transaction); without it,
 * the caller writes bytes and rows in this same transaction, and any earlier claim is released.
 */
export async function claimBlob(tx: Tx, digest: string, size: number, hold = true): Promise<Date | null> {
  await serializeBlobCreation(tx, digest);
  const now = new Date();
  const claimedAt = hold ? now : null;
  const { count } = await tx.blob.updateMany({ where: { digest, deletingAt: null }, data: { claimedAt } });
  if (count) return claimedAt;
  const row = await tx.blob.findUnique({ where: { digest }, select: { deletingAt: true } });
  if (!row) {
    await tx.blob.create({ data: { digest, size: BigInt(size), claimedAt } });
    // A push that dies before its rows are written leaves this row behind: reviewed once the claim has lapsed.
    if (hold) await queueBlobReviews(tx, [digest], null);
    return claimedAt;
  }
  if (row.deletingAt && now.getTime() - row.deletingAt.getTime() < DELETE_MARK_MS) throw new BlobBeingCollected(digest);
  // A mark older than any collector may act on: that collector is gone. The caller stores its own bytes.
  await tx.blob.update({ where: { digest }, data: { deletingAt: null, claimedAt } });
  return claimedAt;
}

/**
 * A push that failed after claiming: its row goes when nothing else holds the blob and no later push claimed it
 * (then that push owns the bytes at the address). True when the caller may take its bytes back.
 */
export async function releaseFailedClaim(tx: Tx, digest: string, claimedAt: Date): Promise<boolean> {
  await lockBlob(tx, digest);
  const row = await tx.blob.findUnique({ where: { digest }, select: { claimedAt: true } });
  if (!row || row.claimedAt?.getTime() !== claimedAt.getTime()) return false;
  const [links, manifests, binned] = await Promise.all([
    tx.blobLink.count({ where: { digest } }),
    tx.manifest.count({ where: { digest } }),
    tx.recycledManifest.count({ where: { digest } }),
  ]);
  if (links || manifests || binned) return false;
  await tx.blob.delete({ where: { digest } });
  return true;
}

/** Runs `attempt` again while a collector deletes the same blob (bounded: a mark expires after DELETE_MARK_MS). */
export async function retryWhileCollected<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + DELETE_MARK_MS + 5_000;
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof BlobBeingCollected) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
