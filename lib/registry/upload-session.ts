import crypto from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { context, slot } from "../core/context";
import { db } from "../core/db";
import { blobStore, type BlobDescriptor } from "./blob-store";
import { parseDigest, type Algorithm } from "../core/digest";
import { blobUploadUnknown, digestInvalid, rangeInvalid, sizeInvalid } from "../core/errors";
import { assertRepositoryWritable, lockDenied } from "./locks";
import { sharedLock, type SharedLock } from "./shared-lock";
import { uploadDataPath, uploadDir } from "./paths";
import type { Repo } from "./repository-resolver";
import { storage } from "./storage";

/**
 * Resumable upload sessions. The Upload row says which repository a session
 * belongs to; its bytes live in the storage driver, so a session survives a
 * restart and may move between nodes. While this process serves a session it keeps the running sha256,
 * so finishing costs nothing; after a restart, or when another node stored the
 * last chunk (the sizes differ), the stored bytes are re-hashed once.
 */
export interface UploadSession {
  start(repo: Repo): Promise<{ id: string; size: number }>;
  status(repo: Repo, id: string): Promise<{ id: string; size: number }>;
  /** Appends a chunk. `range` (from Content-Range) must start where the stored bytes end. */
  append(repo: Repo, id: string, body: Readable, opts?: ChunkOpts): Promise<{ id: string; size: number }>;
  /** Appends the optional last chunk (`range` as for append), verifies the digest and makes the blob visible. */
  finish(repo: Repo, id: string, digest: string, body?: Readable, opts?: ChunkOpts): Promise<BlobDescriptor>;
  /** A monolithic upload (POST ?digest=): a session of its own, finished at once, and removed if anything fails. */
  upload(repo: Repo, digest: string, body?: Readable, opts?: ChunkOpts): Promise<BlobDescriptor>;
  cancel(repo: Repo, id: string): Promise<void>;
}

export type ChunkOpts = { range?: { start: number; end: number }; length?: number };

type HashState = { hash: crypto.Hash; size: number };
// The lock holds across nodes: two chunks of one session arriving at two nodes at once must not interleave.
type Sessions = { hashes: Map<string, HashState>; lock: SharedLock };
const liveSessions = slot<Sessions>("uploadSessions", (ctx) => ({ hashes: new Map(), lock: sharedLock("upload-session", ctx) }));
const sessions = () => context().get(liveSessions);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function loadSession(repo: Repo, id: string): Promise<void> {
  const unknown = () =>
    blobUploadUnknown(`Upload session ${id} does not exist in ${repo.fullName} (finished, cancelled or never started). Start a new upload with POST /v2/${repo.fullName}/blobs/uploads/.`, { uuid: id });
  if (!UUID_RE.test(id)) throw unknown();
  const row = await db().upload.findUnique({ where: { id }, select: { repositoryId: true } });
  if (!row || row.repositoryId !== repo.id) throw unknown();
}

async function storedSize(id: string): Promise<number> {
  return (await storage().stat(uploadDataPath(id)))?.size ?? 0;
}

async function hashFile(algorithm: Algorithm, path: string): Promise<crypto.Hash> {
  const hash = crypto.createHash(algorithm);
  if (await storage().stat(path)) {
    for await (const chunk of await storage().reader(path)) hash.update(chunk as Buffer);
  }
  return hash;
}

/** The running sha256 for exactly the stored bytes, rebuilt from storage when we lost it. */
async function hashStateFor(id: string, size: number): Promise<HashState> {
  const known = sessions().hashes.get(id);
  if (known && known.size === size) return known;
  const state = { hash: await hashFile("sha256", uploadDataPath(id)), size };
  sessions().hashes.set(id, state);
  return state;
}

/**
 * Appends one chunk, all or nothing: when `expected` is known (Content-Range or Content-Length) and the body is
 * longer or shorter, or the body fails, the bytes it added are dropped and the running hash is put back, so the
 * session stays at its previous size and usable. Bytes past `expected` are read and discarded, never stored, so
 * the client still gets its answer.
 */
async function appendBytes(id: string, body: Readable, expected?: number): Promise<number> {
  const path = uploadDataPath(id);
  const before = await storedSize(id);
  const state = await hashStateFor(id, before);
  const hashBefore = state.hash.copy();
  const writer = await storage().writer(path);
  let received = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const room = expected === undefined ? chunk.length : Math.max(0, Math.min(chunk.length, expected - received));
      received += chunk.length;
      if (room === 0) return cb();
      const kept = room === chunk.length ? chunk : chunk.subarray(0, room);
      state.hash.update(kept);
      cb(null, kept);
    },
  });
  try {
    await pipeline(body, hashing, writer.stream);
    const size = await writer.close();
    if (expected !== undefined && received !== expected) {
      throw sizeInvalid(
        `The chunk was announced as ${expected} bytes but ${received} arrived, so none of it was kept: this upload still holds ${before} bytes. Send the chunk again with matching Content-Range/Content-Length.`,
        { expected, received, uploaded: before },
      );
    }
    if (size !== before + received) throw new Error(`upload ${id}: stored ${size} bytes, expected ${before + received}`);
    state.size = size;
    return size;
  } catch (err) {
    // The hash first: should the cut fail, its size no longer matches and it is rebuilt from the stored bytes.
    sessions().hashes.set(id, { hash: hashBefore, size: before });
    await writer.abort();
    throw err;
  }
}

/**
 * How many bytes the next chunk must have: from Content-Range, which must start where the stored bytes end (PATCH
 * and the last chunk of a PUT alike), else from Content-Length, else unknown.
 */
function chunkLength(current: number, opts: ChunkOpts): number | undefined {
  if (!opts.range) return opts.length;
  const { start, end } = opts.range;
  if (start !== current || end < start) {
    throw rangeInvalid(
      `This upload holds ${current} bytes, so the next chunk must start at byte ${current} (Content-Range: ${current}-<last byte>); got ${start}-${end}. Ask GET on the upload URL for its status and resume from there.`,
      { uploaded: current, contentRange: `${start}-${end}` },
    );
  }
  const rangeLength = end - start + 1;
  if (opts.length !== undefined && opts.length !== rangeLength) {
    throw rangeInvalid(`Content-Range ${start}-${end} covers ${rangeLength} bytes but Content-Length is ${opts.length}. Send matching headers.`, {
      contentRange: `${start}-${end}`,
      contentLength: opts.length,
    });
  }
  return rangeLength;
}

async function removeSession(id: string): Promise<void> {
  sessions().hashes.delete(id);
  await db().upload.deleteMany({ where: { id } });
  await storage().delete(uploadDir(id));
}

export const uploadSessions: UploadSession = {
  async start(repo) {
    const id = crypto.randomUUID();
    // Bytes first, row second: a session row always has a (possibly empty) file.
    await storage().putContent(uploadDataPath(id), Buffer.alloc(0));
    await db().upload.create({ data: { id, repositoryId: repo.id } });
    sessions().hashes.set(id, { hash: crypto.createHash("sha256"), size: 0 });
    return { id, size: 0 };
  },

  async status(repo, id) {
    await loadSession(repo, id);
    return { id, size: await storedSize(id) };
  },

  async append(repo, id, body, opts = {}) {
    await loadSession(repo, id);
    // Locks are checked on every request, not only when the upload starts: a lock set mid-upload stops it.
    await assertRepositoryWritable(repo);
    return sessions().lock.run(id, async () => {
      return { id, size: await appendBytes(id, body, chunkLength(await storedSize(id), opts)) };
    });
  },

  async finish(repo, id, digest, body, opts = {}) {
    const want = parseDigest(digest);
    await loadSession(repo, id);
    await assertRepositoryWritable(repo);
    return sessions().lock.run(id, async () => {
      if (body) await appendBytes(id, body, chunkLength(await storedSize(id), opts));
      const path = uploadDataPath(id);
      const size = await storedSize(id);
      const actual =
        want.algorithm === "sha256"
          ? `sha256:${(await hashStateFor(id, size)).hash.copy().digest("hex")}`
          : `${want.algorithm}:${(await hashFile(want.algorithm, path)).digest("hex")}`;
      if (actual !== want.value) {
        // A failed upload leaves nothing behind: no blob, no session.
        await removeSession(id);
        throw digestInvalid(`The uploaded ${size} bytes have digest ${actual}, not ${want.value}. Nothing was stored; upload the blob again.`, {
          expected: want.value,
          actual,
        });
      }
      await blobStore.commit({
        repositoryId: repo.id,
        digest: want.value,
        size,
        fromPath: path,
        // Read again where the link is written: a lock set while the bytes were hashed still wins.
        extra: async (tx) => {
          const r = await tx.repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true } });
          if (r && !r.writeEnabled) throw lockDenied("write", { level: "repository", repository: repo.fullName }, "writeEnabled");
          await tx.upload.deleteMany({ where: { id } });
        },
      });
      sessions().hashes.delete(id);
      await storage().delete(uploadDir(id));
      return { digest: want.value, size };
    });
  },

  async upload(repo, digest, body, opts) {
    const { id } = await uploadSessions.start(repo);
    try {
      return await uploadSessions.finish(repo, id, digest, body, opts);
    } catch (err) {
      // Nobody can resume a session whose id was never sent: remove it and its bytes, whatever failed.
      await sessions().lock.run(id, () => removeSession(id)).catch(() => undefined);
      throw err;
    }
  },

  async cancel(repo, id) {
    await loadSession(repo, id);
    await sessions().lock.run(id, () => removeSession(id));
  },
};
