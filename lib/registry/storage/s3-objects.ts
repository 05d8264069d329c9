import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  type ListObjectsV2CommandOutput,
} from "@aws-sdk/client-s3";

/** How to reach a bucket (the WHARF_S3_* settings). */
export type S3Location = {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
};

export function s3Client(loc: S3Location): S3Client {
  // The SDK warns on stderr, once per process, that releases after January 2027 will want Node 22: that says
  // nothing about this process and would end up in every CLI command's output (scripts read stderr).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  return new S3Client({
    endpoint: loc.endpoint,
    region: loc.region,
    forcePathStyle: loc.forcePathStyle,
    credentials: loc.accessKeyId && loc.secretAccessKey ? { accessKeyId: loc.accessKeyId, secretAccessKey: loc.secretAccessKey } : undefined,
    // The SDK's default (checksums on every request) sends streamed PutObject/UploadPart bodies chunk-encoded with
    // a trailing checksum, which RGW answers with 411; RGW still checks Content-MD5 where S3 requires it.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/**
 * One stored object of a logical file: the base object at the file's own key, or an appended segment at
 * `<key>//<seq>` (no driver path has an empty component, so these keys never collide with a path).
 */
export type Part = { key: string; size: number; modifiedAt: Date };

export const SEGMENT_MARK = "//";
export const segmentPrefix = (key: string) => key + SEGMENT_MARK;
export const segmentKey = (key: string, seq: number) => segmentPrefix(key) + String(seq).padStart(10, "0");
export const segmentSeq = (partKey: string) => Number(partKey.slice(partKey.lastIndexOf(SEGMENT_MARK) + SEGMENT_MARK.length));

export function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.$metadata?.httpStatusCode === 404 || err.name === "NotFound" || err.name === "NoSuchKey";
}

/** Every page of a listing. */
export async function* listPages(client: S3Client, bucket: string, prefix: string, delimiter?: string): AsyncGenerator<ListObjectsV2CommandOutput> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    yield page;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** The objects making up the logical file at `key`, in order (base first, then segments), or [] when none. */
export async function partsOf(client: S3Client, bucket: string, key: string): Promise<Part[]> {
  const [base, segments] = await Promise.all([
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      (h) => ({ key, size: Number(h.ContentLength ?? 0), modifiedAt: h.LastModified ?? new Date(0) }),
      (err) => {
        if (isNotFound(err)) return null;
        throw err;
      },
    ),
    (async () => {
      const out: Part[] = [];
      for await (const page of listPages(client, bucket, segmentPrefix(key))) {
        for (const o of page.Contents ?? []) {
          const rest = o.Key!.slice(segmentPrefix(key).length);
          if (/^\d+$/.test(rest)) out.push({ key: o.Key!, size: Number(o.Size ?? 0), modifiedAt: o.LastModified ?? new Date(0) });
        }
      }
      return out.sort((a, b) => segmentSeq(a.key) - segmentSeq(b.key));
    })(),
  ]);
  return base ? [base, ...segments] : segments;
}

/** Deletes the given keys, 1000 per request (the S3 limit). */
export async function deleteKeys(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const res = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = (res.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
    if (failed.length) throw new Error(`storage: could not delete ${failed.length} objects (first: ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message})`);
  }
}

/** Deletes every object whose key starts with `prefix`. */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for await (const page of listPages(client, bucket, prefix)) {
    await deleteKeys(client, bucket, (page.Contents ?? []).map((o) => o.Key!));
  }
}
