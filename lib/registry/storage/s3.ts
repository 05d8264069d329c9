import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { checkPath, PathNotFoundError, type FileInfo, type FileWriter, type StorageDriver } from "./driver";
import { compose } from "./s3-compose";
import { deleteKeys, deletePrefix, isNotFound, listPages, partsOf, s3Client, segmentKey, segmentPrefix, segmentSeq, type Part, type S3Location } from "./s3-objects";
import { ObjectUpload } from "./s3-upload";

/**
 * Bytes in an S3 bucket (AWS, Ceph RGW, MinIO…): driver path = object key.
 *
 * S3 cannot append, so a logical file is a base object at its key followed by segment objects at
 * `<key>//<seq>` (paths never contain an empty component, so these keys are invisible to every path operation
 * but stat/read/move/delete of that file). Each writer session stores one segment (the first writer of a file that
 * does not exist writes the base); reads stitch the parts with ranged GETs; abort deletes only that writer's
 * segment. A writer streams: a part of 8 MiB fills while two upload (multipart above 8 MiB), so memory
 * per upload is ≤ 24 MiB whatever the blob size.
 *
 * move() composes the parts into one object at the target, which S3 makes visible atomically: one part is a
 * server-side CopyObject; parts all ≥ 5 MiB become UploadPartCopy ranges (server-side too); smaller chunks
 * (chunked pushes of < 5 MiB PATCHes) are streamed through this process once. Then the source parts are deleted.
 * Blobs are therefore always single objects, which redirectUrl can presign.
 *
 * Costs against the filesystem: stat is a HEAD plus a LIST (parallel; a third LIST when segments exist), a read
 * a GET plus a LIST (parallel) plus a GET per further part, a move one server-side copy and a delete (a blob is
 * written twice inside the object store: once to the upload, once to its address). A store without real
 * directories: a "directory" is a key prefix that exists while something is under it.
 *
 * Concurrent writers of one file must be serialised by the caller (upload sessions hold a lock), as on files.
 */
export class S3Driver implements StorageDriver {
  readonly name = "s3";
  readonly client: S3Client;
  readonly bucket: string;

  constructor(loc: S3Location) {
    this.client = s3Client(loc);
    this.bucket = loc.bucket;
  }

  async stat(p: string): Promise<FileInfo | null> {
    const key = checkPath(p);
    const [parts, dir] = await Promise.all([partsOf(this.client, this.bucket, key), this.hasChildren(key)]);
    if (parts.length) {
      return { size: total(parts), modifiedAt: new Date(Math.max(...parts.map((x) => x.modifiedAt.getTime()))), isDirectory: false };
    }
    return dir ? { size: 0, modifiedAt: new Date(0), isDirectory: true } : null;
  }

  /** Whether any object lives under `key/` other than the file's own segments. */
  private async hasChildren(key: string): Promise<boolean> {
    const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${key}/`, Delimiter: "/", MaxKeys: 2 }));
    return (page.Contents?.length ?? 0) > 0 || (page.CommonPrefixes ?? []).some((c) => c.Prefix !== segmentPrefix(key));
  }

  async reader(p: string, range: { start?: number; end?: number } = {}): Promise<Readable> {
    const key = checkPath(p);
    const start = range.start ?? 0;
    // The common case (a blob: one object) costs one round trip: the GET runs beside the segment check.
    const [direct, segments] = await Promise.all([
      this.getRange(key, `bytes=${start}-${range.end ?? ""}`),
      this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: segmentPrefix(key), MaxKeys: 1 })),
    ]);
    if (!segments.KeyCount) {
      if (direct === null) throw new PathNotFoundError(p);
      return direct;
    }
    direct?.destroy();
    const parts = (await partsOf(this.client, this.bucket, key)).filter((x) => x.size > 0);
    const size = total(parts);
    const end = Math.min(range.end ?? size - 1, size - 1);
    return Readable.from(this.stitch(parts, start, end), { objectMode: false });
  }

  /** A ranged GET; an empty stream when the range starts past the end (as a file read does); null when missing. */
  private async getRange(key: string, rangeHeader: string): Promise<Readable | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: rangeHeader }));
      return res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) return null;
      if (err instanceof S3ServiceException && err.$metadata?.httpStatusCode === 416) return Readable.from([]);
      throw err;
    }
  }

  /** Bytes start..end (inclusive) of the concatenated parts, one ranged GET per part touched. */
  private async *stitch(parts: Part[], start: number, end: number): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const part of parts) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + part.size - 1);
      offset += part.size;
      if (from > to) continue;
      const body = await this.getRange(part.key, `bytes=${from - (offset - part.size)}-${to - (offset - part.size)}`);
      if (body === null) throw new Error(`storage: part ${part.key} vanished while being read`);
      for await (const chunk of body) yield chunk as Buffer;
    }
  }

  async getContent(p: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.reader(p)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async putContent(p: string, data: Buffer): Promise<void> {
    const key = checkPath(p);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length }));
    // Segments of an earlier appended file would follow the new content: drop them (never the case in Wharf's use).
    await deletePrefix(this.client, this.bucket, segmentPrefix(key));
  }

  async writer(p: string): Promise<FileWriter> {
    const key = checkPath(p);
    const parts = await partsOf(this.client, this.bucket, key);
    const startSize = total(parts);
    // The first writer of a missing file writes the base object; later ones a segment after the last.
    const last = parts.length ? parts[parts.length - 1] : null;
    const target = !last ? key : segmentKey(key, last.key === key ? 1 : segmentSeq(last.key) + 1);
    const upload = new ObjectUpload(this.client, this.bucket, target, !last);
    let closed: Promise<number> | null = null;
    const stop = async () => {
      if (!upload.closed) {
        const closedNow = new Promise((resolve) => upload.once("close", resolve));
        upload.destroy();
        await closedNow;
      }
      await upload.idle();
    };
    return {
      startSize,
      stream: upload,
      close: () =>
        (closed ??= (async () => {
          if (!upload.writableFinished) {
            if (!upload.writableEnded) upload.end();
            await finished(upload);
          }
          return startSize + upload.written;
        })()),
      cancel: async () => {
        await stop();
        await this.delete(p);
      },
      abort: async () => {
        await stop();
        // Whatever this writer may have stored goes; a file it created stays, empty (as a truncated file would).
        if (target === key) await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: Buffer.alloc(0), ContentLength: 0 }));
        else await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: target }));
      },
    };
  }

  async move(from: string, to: string): Promise<void> {
    const src = checkPath(from);
    const dst = checkPath(to);
    const parts = await partsOf(this.client, this.bucket, src);
    if (!parts.length) throw new PathNotFoundError(from);
    if (src === dst) return;
    await deletePrefix(this.client, this.bucket, segmentPrefix(dst));
    await compose(this.client, this.bucket, parts, dst, () => this.reader(from));
    await deleteKeys(this.client, this.bucket, parts.map((x) => x.key));
  }

  async list(p: string): Promise<string[]> {
    const prefix = `${checkPath(p)}/`;
    const names = new Set<string>();
    for await (const page of listPages(this.client, this.bucket, prefix, "/")) {
      for (const o of page.Contents ?? []) names.add(o.Key!.slice(prefix.length));
      for (const c of page.CommonPrefixes ?? []) names.add(c.Prefix!.slice(prefix.length, -1));
    }
    names.delete(""); // the segments of a file named like the directory (`p//…`)
    return [...names].sort();
  }

  async delete(p: string): Promise<void> {
    const key = checkPath(p);
    await deleteKeys(this.client, this.bucket, [key]);
    await deletePrefix(this.client, this.bucket, `${key}/`);
  }

  /**
   * A presigned GET of the object, or null when the file is still in segments (only a finished move or put makes
   * one object; blobs always are). Costs one LIST, no byte.
   */
  async redirectUrl(p: string, opts: { expiresInSeconds: number }): Promise<string | null> {
    const key = checkPath(p);
    const segments = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: segmentPrefix(key), MaxKeys: 1 }));
    if (segments.KeyCount) return null;
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: opts.expiresInSeconds });
  }
}

const total = (parts: Part[]) => parts.reduce((n, x) => n + x.size, 0);
