import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "../core/db";
import { blobUnknown } from "../core/errors";
import { blobDataPath } from "./paths";
import { storage } from "./storage";
import { PathNotFoundError } from "./storage/driver";
import { digestLock } from "./keyed-lock";
import { hotReads } from "./hot-reads";
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
  /** Removes a repository's link; false when there was none. The bytes stay until garbage collection. */
  unlink(repositoryId: string, digest: string): Promise<boolean>;
  /** Names of the registry's repositories that link the blob (for `mount` without `from`). */
  repositoriesLinking(registryId: string, digest: string): Promise<string[]>;
  /**
   * Makes verified bytes visible: moves them to their content address and
   * records Blob + BlobLink in one transaction. `extra` runs in the same transaction.
   */
  commit(input: { repositoryId: string; digest: string; size: number; fromPath: string; extra?: (tx: Tx) => Promise<unknown> }): Promise<void>;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

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
    return digestLock().run(digest, async () => {
      const blob = await db().blob.findUnique({ where: { digest }, select: { digest: true } });
      if (!blob) return false;
      await db().blobLink.upsert({
        where: { repositoryId_digest: { repositoryId, digest } },
        create: { repositoryId, digest },
        update: {},
      });
      return true;
    });
  },

  async unlink(repositoryId, digest) {
    const { count } = await db().blobLink.deleteMany({ where: { repositoryId, digest } });
    return count > 0;
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
      const target = blobDataPath(digest);
      const existing = await storage().stat(target);
      // Same digest, same bytes: keep the stored copy (the new one is dropped once the rows are written).
      const moved = !(existing && existing.size === size);
      if (moved) await storage().move(fromPath, target);
      try {
        await db().$transaction(async (tx) => {
          await tx.blob.upsert({ where: { digest }, create: { digest, size: BigInt(size) }, update: {} });
          await tx.blobLink.upsert({
            where: { repositoryId_digest: { repositoryId, digest } },
            create: { repositoryId, digest },
            update: {},
          });
          if (extra) await extra(tx);
        });
      } catch (err) {
        // Refused (a lock) or failed: the bytes go back where they came from, so nothing is visible and the
        // upload can be finished later — unless a row now claims them for another push.
        if (moved) {
          // When the database cannot say, the bytes stay: a row without its bytes is the worse state.
          const claimed = await db().blob.findUnique({ where: { digest }, select: { digest: true } }).then((r) => r !== null, () => true);
          if (!claimed) await storage().move(target, fromPath).catch(() => undefined);
        }
        throw err;
      }
      if (!moved) await storage().delete(fromPath);
    });
  },
};

export function blobUnknownIn(digest: string) {
  return blobUnknown(`Blob ${digest} is not in this repository. Push it here, or mount it from a repository that has it.`, { digest });
}
