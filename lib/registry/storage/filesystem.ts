import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import { finished } from "node:stream/promises";
import { Writable, type Readable } from "node:stream";
import { checkPath, PathNotFoundError, type FileInfo, type FileWriter, type StorageDriver } from "./driver";

// Large reads cut syscalls and event-loop turns when streaming layers.
const READ_CHUNK = 1024 * 1024;
const TMP_DIR = "_tmp";
// copyTo keeps this many chunks in flight (read-ahead while the socket drains), so a slow client holds at most
// 2 MiB, as a piped read stream did. Measured here: depth 4 was ~10 % faster on loopback (2.5 vs 2.2 GiB/s),
// not worth twice the memory per slow connection …
const COPY_DEPTH = 2;
// … and recycles its buffers: a fresh 1 MiB buffer per chunk made V8 run a full mark-compact every ~64 MiB
// served (external-memory pressure), which halved blob GET throughput with the portal's heap in the process.
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 16;
const takeChunk = () => spareChunks.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
const giveChunk = (b: Buffer) => void (spareChunks.length < MAX_SPARE_CHUNKS && spareChunks.push(b));

/**
 * Appends through two recycled 1 MiB blocks: each incoming chunk (64 KiB off the socket) is copied and released at
 * once, so it dies young instead of waiting in a write queue; one block is written while the other fills.
 * Measured: the plain fs write stream kept chunks alive until promoted, and full GCs cut uploads by ~40 %.
 */
class BlockAppender extends Writable {
  private blocks: [Buffer, Buffer] | null = [takeChunk(), takeChunk()];
  private current = 0;
  private filled = 0;
  private writing: Promise<void> | null = null;

  constructor(private readonly handle: fsp.FileHandle) {
    super();
  }

  private async writeBlock(block: Buffer, length: number): Promise<void> {
    for (let off = 0; off < length; ) off += (await this.handle.write(block, off, length - off)).bytesWritten;
  }

  /** Starts writing the current block once the other one is on disk, and switches to the other. */
  private async flushCurrent(): Promise<void> {
    if (this.writing) await this.writing;
    const blocks = this.blocks!;
    this.writing = this.writeBlock(blocks[this.current], this.filled);
    this.writing.catch(() => undefined); // awaited by the next flush or _final
    this.current ^= 1;
    this.filled = 0;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    void (async () => {
      for (let off = 0; off < chunk.length; ) {
        const n = chunk.copy(this.blocks![this.current], this.filled, off);
        off += n;
        this.filled += n;
        if (this.filled === READ_CHUNK) await this.flushCurrent();
      }
    })().then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    void (async () => {
      if (this.filled) await this.flushCurrent();
      if (this.writing) await this.writing;
    })().then(() => this.release().then(() => cb(), cb), (err) => this.release().then(() => cb(err), () => cb(err)));
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // A block may still be in a write: wait for it before recycling the blocks.
    void (this.writing ?? Promise.resolve()).catch(() => undefined).then(() => this.release()).then(() => cb(err), () => cb(err));
  }

  private async release(): Promise<void> {
    const blocks = this.blocks;
    if (!blocks) return;
    this.blocks = null;
    blocks.forEach(giveChunk);
    await this.handle.close();
  }
}

/** Stores bytes as plain files under `root`. Renames within one file system are atomic. */
export class FilesystemDriver implements StorageDriver {
  readonly name = "filesystem";
  constructor(private readonly root: string) {}

  private full(p: string): string {
    return path.join(this.root, checkPath(p));
  }

  async stat(p: string): Promise<FileInfo | null> {
    try {
      const s = await fsp.stat(this.full(p));
      return { size: s.size, modifiedAt: s.mtime, isDirectory: s.isDirectory() };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async reader(p: string, range: { start?: number; end?: number } = {}): Promise<Readable> {
    const file = this.full(p);
    // Open first so a missing file is an error here, not an 'error' event mid-response.
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, "r");
    } catch (err) {
      if (isMissing(err)) throw new PathNotFoundError(p);
      throw err;
    }
    // Never allocate a 1 MiB read buffer for a 2 KiB config blob.
    const span = range.end !== undefined ? range.end - (range.start ?? 0) + 1 : READ_CHUNK;
    const highWaterMark = Math.max(16 * 1024, Math.min(READ_CHUNK, span));
    return handle.createReadStream({ start: range.start, end: range.end, highWaterMark, autoClose: true });
  }

  async copyTo(p: string, range: { start: number; end: number }, dest: Writable, onOpen?: () => void): Promise<void> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.full(p), "r");
    } catch (err) {
      if (isMissing(err)) throw new PathNotFoundError(p);
      throw err;
    }
    onOpen?.();
    // An HTTP response whose socket died never calls its write callbacks: stop on 'close'.
    let onClose!: () => void;
    const closed = new Promise<"closed">((resolve) => (onClose = () => resolve("closed")));
    dest.once("close", onClose);
    const inFlight: Promise<unknown>[] = [];
    try {
      for (let pos = range.start; pos <= range.end; ) {
        if (dest.destroyed) return;
        const chunk = takeChunk();
        const { bytesRead } = await handle.read(chunk, 0, Math.min(READ_CHUNK, range.end - pos + 1), pos);
        if (bytesRead === 0) throw new Error(`storage: ${p} ended at byte ${pos}, before ${range.end + 1}`);
        pos += bytesRead;
        inFlight.push(
          new Promise<void>((resolve, reject) =>
            dest.write(chunk.subarray(0, bytesRead), (err) => {
              if (err) return reject(err);
              giveChunk(chunk); // flushed: safe to reuse
              resolve();
            }),
          ),
        );
        if (inFlight.length >= COPY_DEPTH && (await Promise.race([inFlight.shift()!, closed])) === "closed") return;
      }
      await Promise.race([Promise.all(inFlight), closed]);
    } finally {
      dest.off("close", onClose);
      for (const w of inFlight) w.catch(() => undefined); // a dead socket's errors are the response's business
      await handle.close();
    }
  }

  async getContent(p: string): Promise<Buffer> {
    try {
      return await fsp.readFile(this.full(p));
    } catch (err) {
      if (isMissing(err)) throw new PathNotFoundError(p);
      throw err;
    }
  }

  async putContent(p: string, data: Buffer): Promise<void> {
    const target = this.full(p);
    const tmp = path.join(this.root, TMP_DIR, crypto.randomUUID());
    await fsp.mkdir(path.dirname(tmp), { recursive: true });
    await fsp.writeFile(tmp, data);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(tmp, target);
  }

  async writer(p: string): Promise<FileWriter> {
    const file = this.full(p);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const handle = await fsp.open(file, "a");
    const startSize = (await handle.stat()).size;
    const stream = new BlockAppender(handle);
    let closed: Promise<number> | null = null;
    return {
      startSize,
      stream,
      close: () =>
        (closed ??= (async () => {
          if (!stream.writableFinished) {
            if (!stream.writableEnded) stream.end();
            await finished(stream);
          }
          return (await fsp.stat(file)).size;
        })()),
      cancel: async () => {
        stream.destroy();
        await fsp.rm(file, { force: true });
      },
      abort: async () => {
        // The appender may still be writing a block: wait until its handle is closed, then cut back.
        if (!stream.closed) {
          // Not events.once: it would reject on the 'error' a failed pipeline leaves behind.
          const closedNow = new Promise((resolve) => stream.once("close", resolve));
          stream.destroy();
          await closedNow;
        }
        await fsp.truncate(file, startSize);
      },
    };
  }

  async move(from: string, to: string): Promise<void> {
    const src = this.full(from);
    const dst = this.full(to);
    await fsp.mkdir(path.dirname(dst), { recursive: true });
    try {
      await fsp.rename(src, dst);
    } catch (err) {
      if (isMissing(err)) throw new PathNotFoundError(from);
      throw err;
    }
  }

  async list(p: string): Promise<string[]> {
    try {
      return (await fsp.readdir(this.full(p))).sort();
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === "ENOTDIR") return [];
      throw err;
    }
  }

  async delete(p: string): Promise<void> {
    await fsp.rm(this.full(p), { recursive: true, force: true });
  }

  /** For tests and tools that want the file itself (never used on the request path). */
  localPath(p: string): string {
    return this.full(p);
  }
}

// ENOTDIR: a path below a file ("a/file/x") names nothing either.
function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

