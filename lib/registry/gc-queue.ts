import { db, type Tx } from "../core/db";
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

/** How long the latest push claim on a blob (Blob.claims, claimedAt) keeps a collector off it while bytes move into place. */
export const PUSH_CLAIM_MS = 60_000;

/** A claim is in force while some push holds one and the latest was made within PUSH_CLAIM_MS. */
export function claimInForce(row: { claims: number; claimedAt: Date | null }, now: Date): boolean {
  return row.claims > 0 && !!row.claimedAt && now.getTime() - row.claimedAt.getTime() < PUSH_CLAIM_MS;
}

/**
 * A push's claim was voided while its bytes moved in (not renewed for PUSH_CLAIM_MS, its node stalled, and a
 * collector took the blob): its bytes may be gone, so its rows are not written. The client pushes the blob again.
 */
export class ClaimLapsed extends Error {
  constructor(readonly digest: string) {
    super(`the push of blob ${digest} lost its claim (not renewed for ${PUSH_CLAIM_MS / 1000} s while its bytes were stored), and garbage collection took the bytes back; push the blob again`);
    this.name = "ClaimLapsed";
  }
}

/**
 * The Blob row for a writer that stores the bytes and its rows in this one transaction (a manifest, a restore):
 * created when missing; throws BlobBeingCollected while a collector deletes the bytes; a stale mark is taken over.
 * The first statement of the writing transaction: the Blob row's write lock orders it with a collector's.
 */
export async function useBlob(tx: Tx, digest: string, size: number): Promise<void> {
  await ensureBlob(tx, digest, size, {});
}

/**
 * Claims a blob for a push whose bytes move into place after this transaction, with its rows written in a later
 * one (settleClaim). Each push adds one claim; collectors keep off while claimInForce.
 */
export async function claimBlob(tx: Tx, digest: string, size: number): Promise<void> {
  const created = await ensureBlob(tx, digest, size, { claims: { increment: 1 }, claimedAt: new Date() });
  // A push that dies before its rows are written leaves this row behind: reviewed once the claim has lapsed.
  if (created) await queueBlobReviews(tx, [digest], null);
}

/**
 * The push's bytes are in place: takes its claim back, in the transaction that writes its rows. Throws ClaimLapsed
 * when a collector voided the claim meanwhile (the row is gone, marked, or holds no claim).
 */
export async function settleClaim(tx: Tx, digest: string): Promise<void> {
  await serializeBlobCreation(tx, digest);
  const { count } = await tx.blob.updateMany({ where: { digest, deletingAt: null, claims: { gt: 0 } }, data: { claims: { decrement: 1 } } });
  if (!count) throw new ClaimLapsed(digest);
  await tx.blob.updateMany({ where: { digest, claims: 0 }, data: { claimedAt: null } });
}

/**
 * Renews a push's claim while its bytes move (a large blob on object storage may take longer than PUSH_CLAIM_MS),
 * so the claim lapses only when the pushing process is gone. Returns the function that stops renewing.
 */
export function renewClaimWhile(digest: string): () => void {
  const timer = setInterval(() => {
    void db()
      .blob.updateMany({ where: { digest, deletingAt: null, claims: { gt: 0 } }, data: { claimedAt: new Date() } })
      .catch(() => undefined);
  }, PUSH_CLAIM_MS / 3);
  timer.unref();
  return () => clearInterval(timer);
}

/** Creates the row, or applies `data` to it unless a collector's fresh mark is on it; true when created. */
async function ensureBlob(tx: Tx, digest: string, size: number, data: { claims?: { increment: number }; claimedAt?: Date }): Promise<boolean> {
  await serializeBlobCreation(tx, digest);
  const now = new Date();
  const { count } = await tx.blob.updateMany({ where: { digest, deletingAt: null }, data });
  if (count) return false;
  const row = await tx.blob.findUnique({ where: { digest }, select: { deletingAt: true } });
  const claims = data.claims ? 1 : 0;
  const claimedAt = claims ? now : null;
  if (!row) {
    await tx.blob.create({ data: { digest, size: BigInt(size), claims, claimedAt } });
    return true;
  }
  if (row.deletingAt && now.getTime() - row.deletingAt.getTime() < DELETE_MARK_MS) throw new BlobBeingCollected(digest);
  // A mark older than any collector may act on: that collector is gone. The caller stores its own bytes.
  await tx.blob.update({ where: { digest }, data: { deletingAt: null, claims, claimedAt } });
  return false;
}

/**
 * A push that failed after claiming gives its claim back; the row goes when that was the last claim and nothing
 * else holds the blob. True when the caller may take its bytes back (no one else relies on them).
 */
export async function releaseFailedClaim(tx: Tx, digest: string): Promise<boolean> {
  await lockBlob(tx, digest);
  const { count } = await tx.blob.updateMany({ where: { digest, deletingAt: null, claims: { gt: 0 } }, data: { claims: { decrement: 1 } } });
  if (!count) return false;
  const row = await tx.blob.findUnique({ where: { digest }, select: { claims: true } });
  if (!row || row.claims > 0) return false;
  const [links, manifests, binned] = await Promise.all([
    tx.blobLink.count({ where: { digest } }),
    tx.manifest.count({ where: { digest } }),
    tx.recycledManifest.count({ where: { digest } }),
  ]);
  if (links || manifests || binned) {
    await tx.blob.update({ where: { digest }, data: { claimedAt: null } });
    return false;
  }
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
