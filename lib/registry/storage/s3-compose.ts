import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Part } from "./s3-objects";
import { MAX_PARTS, ObjectUpload } from "./s3-upload";

// S3's limits: every part but the last ≥ 5 MiB; one CopyObject / UploadPartCopy copies at most 5 GiB.
const MIN_PART = 5 * 1024 * 1024;
const MAX_SINGLE_COPY = 5 * 1024 * 1024 * 1024;
// Copy ranges of at most 1 GiB, four at a time: server-side, so no byte passes through this process.
const COPY_RANGE = 1024 * 1024 * 1024;
const COPY_PARALLEL = 4;

export const copySource = (bucket: string, key: string) => `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

export type ComposeHow = "empty" | "copy" | "multipart-copy" | "stream";

/**
 * Writes the concatenation of `parts` as one object at `to`, replacing it atomically (S3 shows the old object or
 * the new one). Cheapest first: one part is a server-side CopyObject; parts that all (but the last) meet S3's
 * 5 MiB part minimum become a multipart upload of UploadPartCopy ranges (still server-side); anything else (small
 * chunks of a chunked upload) is streamed through this process into a multipart upload: `read` gives the bytes.
 */
export async function compose(client: S3Client, bucket: string, parts: Part[], to: string, read: () => Promise<Readable>): Promise<ComposeHow> {
  const filled = parts.filter((p) => p.size > 0);
  if (filled.length === 0) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: to, Body: Buffer.alloc(0), ContentLength: 0 }));
    return "empty";
  }
  if (filled.length === 1 && filled[0].size <= MAX_SINGLE_COPY) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySource(bucket, filled[0].key) }));
    return "copy";
  }
  const ranges = copyRanges(filled);
  if (ranges) {
    await multipartCopy(client, bucket, ranges, to);
    return "multipart-copy";
  }
  await pipeline(await read(), new ObjectUpload(client, bucket, to, true));
  return "stream";
}

type CopyRange = { key: string; start: number; end: number };

/** The UploadPartCopy ranges for `parts`, or null when S3's part rules do not allow copying them as they are. */
function copyRanges(parts: Part[]): CopyRange[] | null {
  if (parts.slice(0, -1).some((p) => p.size < MIN_PART)) return null;
  const ranges: CopyRange[] = [];
  for (const p of parts) {
    // Equal pieces: each stays ≥ 5 MiB as the part is, and ≤ 1 GiB.
    const pieces = Math.ceil(p.size / COPY_RANGE);
    const each = Math.ceil(p.size / pieces);
    for (let start = 0; start < p.size; start += each) ranges.push({ key: p.key, start, end: Math.min(p.size, start + each) - 1 });
  }
  return ranges.length <= MAX_PARTS ? ranges : null;
}

async function multipartCopy(client: S3Client, bucket: string, ranges: CopyRange[], to: string): Promise<void> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to }));
  const done: CompletedPart[] = new Array(ranges.length);
  try {
    let next = 0;
    const worker = async () => {
      while (next < ranges.length) {
        const i = next++;
        const r = ranges[i];
        const res = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: to,
            UploadId,
            PartNumber: i + 1,
            CopySource: copySource(bucket, r.key),
            CopySourceRange: `bytes=${r.start}-${r.end}`,
          }),
        );
        done[i] = { PartNumber: i + 1, ETag: res.CopyPartResult?.ETag };
      }
    };
    await Promise.all(Array.from({ length: Math.min(COPY_PARALLEL, ranges.length) }, worker));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId, MultipartUpload: { Parts: done } }));
  } catch (err) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId })).catch(() => undefined);
    throw err;
  }
}
