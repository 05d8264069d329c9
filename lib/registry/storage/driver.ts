import type { Readable, Writable } from "node:stream";

/**
 * The only code that touches bytes at rest. A driver knows paths and bytes,
 * nothing about blobs, repositories or digests. Paths are '/'-separated,
 * relative to the driver's root, without '.' or '..' components.
 */
export interface StorageDriver {
  readonly name: string;
  /** Size and modification time, or null when nothing is stored at `path`. */
  stat(path: string): Promise<FileInfo | null>;
  /** Streams the bytes at `path`, optionally a range (inclusive `end`). Throws PathNotFoundError. */
  reader(path: string, range?: { start?: number; end?: number }): Promise<Readable>;
  /**
   * Optional fast path for serving: writes the bytes of `path` in `range` (inclusive) into `dest` without ending it,
   * and resolves once `dest` has flushed them all (or closed early). Throws PathNotFoundError before calling `onOpen`
   * (where the caller writes its headers) and before writing anything. Drivers without it are served through `reader`.
   */
  copyTo?(path: string, range: { start: number; end: number }, dest: Writable, onOpen?: () => void): Promise<void>;
  /** Small files only (manifests): the whole content. Throws PathNotFoundError. */
  getContent(path: string): Promise<Buffer>;
  /** Writes small content atomically: readers see the old content or the new, never a part. */
  putContent(path: string, data: Buffer): Promise<void>;
  /** An append writer: bytes go after what is already stored at `path` (created when missing). */
  writer(path: string): Promise<FileWriter>;
  /** Moves `from` to `to` atomically, replacing `to`. Throws PathNotFoundError when `from` is missing. */
  move(from: string, to: string): Promise<void>;
  /** Direct children of a directory-like prefix (names only, sorted); [] when missing. */
  list(path: string): Promise<string[]>;
  /** Deletes a file or a whole subtree; no error when missing. */
  delete(path: string): Promise<void>;
  /** Where clients may fetch `path` directly (e.g. a presigned URL), or null to stream through us. */
  redirectUrl?(path: string, opts: { expiresInSeconds: number }): Promise<string | null>;
}

export type FileInfo = { size: number; modifiedAt: Date; isDirectory: boolean };

export interface FileWriter {
  /** Bytes stored before this writer appended anything. */
  readonly startSize: number;
  /** Pipe bytes into this; ending it flushes them. */
  readonly stream: Writable;
  /** Waits for the stream to finish and returns the total stored size. */
  close(): Promise<number>;
  /** Stops writing and deletes everything at the path. */
  cancel(): Promise<void>;
  /**
   * Stops writing and drops every byte this writer appended, also after close(): what was stored before it
   * (`startSize` bytes) stays. An upload chunk is all or nothing.
   */
  abort(): Promise<void>;
}

export class PathNotFoundError extends Error {
  constructor(public readonly path: string) {
    super(`storage: nothing stored at ${path}`);
    this.name = "PathNotFoundError";
  }
}

export class InvalidPathError extends Error {
  constructor(public readonly path: string) {
    super(`storage: invalid path '${path}'`);
    this.name = "InvalidPathError";
  }
}

/** Rejects absolute paths, empty components and '.'/'..' so no path escapes the driver root. */
export function checkPath(p: string): string {
  if (!p || p.startsWith("/") || p.endsWith("/") || p.includes("\\") || p.includes("\0")) throw new InvalidPathError(p);
  for (const part of p.split("/")) if (!part || part === "." || part === "..") throw new InvalidPathError(p);
  return p;
}
