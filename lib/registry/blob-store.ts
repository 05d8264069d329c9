import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db, type Tx } from "../core/db";
import { blobUnknown, blobUploadInvalid } from "../core/errors";
import { blobDataPath } from "./paths";
import { storage } from "./storage";
import { PathNotFoundError } from "./storage/driver";
import { digestLock } from "./keyed-lock";
import { claimBlob, ClaimLapsed, queueBlobReviews, queueLinkReviews, releaseFailedClaim, renewClaimWhile, retryWhileCollected, settleClaim } from "./gc-queue";
import { hotReads } from "./hot-reads";
import { lockBlobLink } from "./row-locks";
import { manifestBytes } from "./manifest-cache";

// A row without bytes means the store was damaged; say so rather than serve nothing.
const missingBytes = (digest: string) => blobUnknown(`The bytes of blob ${digest} are missing from storage. Push the blob again.`, { digest });

export type BlobDescriptor = { digest: string; size: number };

/**
 * Content-addressed blobs, stored once per deployment, seen through
 * repositories: a repository serves a blob only when it links it.
 */
export interface BlobStore {
  /** The blob as seen by a repository, or null when that repository does not link it. */
  stat(repositoryId: string, digest: string): Promise<BlobDescriptor | null>;
  /**
   * Sends a byte range of a blob the caller has already found linked (stat) into `dest`, calling `onOpen` once the
   * bytes are there and before the first write (write headers there). Does not end `dest`. Throws BlobUnknown when
   * the bytes are missing from storage.
   */
  send(digest: string, range: { start: number; end: number }, dest: Writable, onOpen: () => void): Promise<void>;
  /** A small linked blob whole (configs; the caller bounds the size). Throws BlobUnknown. */
  read(repositoryId: string, digest: string): Promise<Buffer>;
  /** Links an existing blob into a repository (a cross-repository mount). False when the blob is not stored. */
  link(repositoryId: string, digest: string): Promise<boolean>;
  /** Removes a repository's link; false when there was none. Garbage collection frees the bytes when no one else holds them. */
  unlink(repositoryId: string, digest: string): Promise<boolean>;
  /** Names of the registry's repositories that link the blob (for `mount` without `from`). */
  repositoriesLinking(registryId: string, digest: string): Promise<string[]>;
  /**
   * Makes verified bytes visible: moves them to their content address and
   * records Blob + BlobLink in one transaction. `extra` runs in the same transaction.
   */
  commit(input: { repositoryId: string; digest: string; size: number; fromPath: string; extra?: (tx: Tx) => Promise<unknown> }): Promise<void>;
}


export const blobStore: BlobStore = {
  async stat(repositoryId, digest) {
    const size = await hotReads().linkedBlobSize(repositoryId, digest);
    return size === null ? null : { digest, size };
  },

  async send(digest, range, dest, onOpen) {
    const driver = storage();
    try {
      if (driver.copyTo) return await driver.copyTo(blobDataPath(digest), range, dest, onOpen);
      const stream = await driver.reader(blobDataPath(digest), range);
      onOpen();
      await pipeline(stream, dest, { end: false });
    } catch (err) {
      if (err instanceof PathNotFoundError) throw missingBytes(digest);
      throw err;
    }
  },

  async read(repositoryId, digest) {
    if (!(await this.stat(repositoryId, digest))) throw blobUnknownIn(digest);
    const hit = manifestBytes().get(digest);
    if (hit) return hit;
    try {
      const bytes = await storage().getContent(blobDataPath(digest));
      manifestBytes().set(digest, bytes);
      return bytes;
    } catch (err) {
      if (err instanceof PathNotFoundError) throw missingBytes(digest);
      throw err;
    }
  },

  async link(repositoryId, digest) {
    return digestLock().run(digest, () =>
      db().$transaction(async (tx) => {
        // A blob being collected counts as not stored: the client uploads it instead of mounting.
        const { count } = await tx.blob.updateMany({ where: { digest, deletingAt: null }, data: { deletingAt: null } });
        if (!count) return false;
        await writeLink(tx, repositoryId, digest);
        // Reviewed after the grace period: a mounted blob no manifest ever names is collected like an uploaded one.
        await queueLinkReviews(tx, repositoryId, [digest]);
        return true;
      }),
    );
  },

  async unlink(repositoryId, digest) {
    return db().$transaction(async (tx) => {
      const { count } = await tx.blobLink.deleteMany({ where: { repositoryId, digest } });
      if (!count) return false;
      const repo = await tx.repository.findUnique({ where: { id: repositoryId }, select: { registryId: true } });
      await queueBlobReviews(tx, [digest], repo?.registryId ?? null);
      return true;
    });
  },

  async repositoriesLinking(registryId, digest) {
    const links = await db().blobLink.findMany({
      // A repository locked against reads lends its blobs to no one.
      where: { digest, repository: { registryId, readEnabled: true } },
      select: { repository: { select: { name: true } } },
      take: 1000,
    });
    return links.map((l) => l.repository.name);
  },

  async commit({ repositoryId, digest, size, fromPath, extra }) {
    await digestLock().run(digest, async () => {
      // 1. Claim the blob first, so no collector deletes its bytes while ours move into place (or wait for one that is).
      await retryWhileCollected(() => db().$transaction((tx) => claimBlob(tx, digest, size)));
      const target = blobDataPath(digest);
      let moved = false;
      try {
        const existing = await storage().stat(target);
        // Same digest, same bytes: keep the stored copy (the new one is dropped once the rows are written).
        if (!(existing && existing.size === size)) {
          const stopRenewing = renewClaimWhile(digest);
          try {
            await storage().move(fromPath, target);
          } finally {
            stopRenewing();
          }
          moved = true;
        }
        await db().$transaction(async (tx) => {
          // The claim is given back with the rows written; refused when a collector voided it meanwhile.
          await settleClaim(tx, digest);
          await writeLink(tx, repositoryId, digest);
          // A blob no manifest names within the grace period is collected (a push that never finished).
          await queueLinkReviews(tx, repositoryId, [digest]);
          if (extra) await extra(tx);
        });
      } catch (err) {
        // Refused (a lock) or failed: the claim is given back and the bytes go back where they came from, so nothing
        // is visible and the upload can be finished later — unless another push still relies on them.
        // When the database cannot say, the bytes stay: a row without its bytes is the worse state.
        const released = await db()
          .$transaction((tx) => releaseFailedClaim(tx, digest))
          .catch(() => false);
        if (moved && released) await storage().move(target, fromPath).catch(() => undefined);
        if (err instanceof ClaimLapsed) throw blobUploadInvalid(err.message, { digest });
        throw err;
      }
      if (!moved) await storage().delete(fromPath);
    });
  },
};

/**
 * Links the blob into the repository, after the caller has written its Blob row. PostgreSQL: a collector may be
 * removing this very link (reviewLink holds it locked). An upsert would read the old link, then fail on it (P2025) or
 * leave none; locking it first waits for that collector, after which the upsert sees whether the link is still there.
 */
async function writeLink(tx: Tx, repositoryId: string, digest: string): Promise<void> {
  await lockBlobLink(tx, repositoryId, digest);
  await tx.blobLink.upsert({ where: { repositoryId_digest: { repositoryId, digest } }, create: { repositoryId, digest }, update: {} });
}

export function blobUnknownIn(digest: string) {
  return blobUnknown(`Blob ${digest} is not in this repository. Push it here, or mount it from a repository that has it.`, { digest });
}
