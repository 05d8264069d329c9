import crypto from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { deletePrefix, s3Client } from "../../lib/registry/storage/s3-objects";

/** The S3 server tests may use, or null when WHARF_TEST_S3_ENDPOINT is unset (the embedded default). */
export function testS3(): { endpoint: string; region: string; accessKeyId?: string; secretAccessKey?: string } | null {
  const endpoint = process.env.WHARF_TEST_S3_ENDPOINT;
  if (!endpoint) return null;
  return {
    endpoint,
    region: process.env.WHARF_TEST_S3_REGION || "us-east-1",
    accessKeyId: process.env.WHARF_TEST_S3_ACCESS_KEY_ID,
    secretAccessKey: process.env.WHARF_TEST_S3_SECRET_ACCESS_KEY,
  };
}

export const NO_TEST_S3 = "WHARF_TEST_S3_ENDPOINT is not set (with _ACCESS_KEY_ID, _SECRET_ACCESS_KEY, _REGION): `npm test -- --backend=postgres-s3` starts Ceph RGW and sets them";

/** The S3 driver's options for a bucket createTestBucket made. */
export function s3OptionsOf(env: Record<string, string>) {
  return {
    endpoint: env.WHARF_S3_ENDPOINT,
    region: env.WHARF_S3_REGION,
    bucket: env.WHARF_S3_BUCKET,
    accessKeyId: env.WHARF_S3_ACCESS_KEY_ID,
    secretAccessKey: env.WHARF_S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
  };
}

function clientFor(env: Record<string, string>): S3Client {
  return s3Client(s3OptionsOf(env));
}

/**
 * A fresh bucket per data dir when WHARF_TEST_S3_ENDPOINT names an S3 server (see backends.ts); the WHARF_STORAGE
 * and WHARF_S3_* variables to use, or {} on the embedded default.
 */
export async function createTestBucket(): Promise<Record<string, string>> {
  const s3 = testS3();
  if (!s3) return {};
  const env: Record<string, string> = {
    WHARF_STORAGE: "s3",
    WHARF_S3_ENDPOINT: s3.endpoint,
    WHARF_S3_REGION: s3.region,
    // Unique per call, and a valid bucket name (lower case, ≤ 63 characters).
    WHARF_S3_BUCKET: `wharf-test-${Date.now().toString(36)}-${crypto.randomBytes(6).toString("hex")}`,
    WHARF_S3_FORCE_PATH_STYLE: "true",
    ...(s3.accessKeyId ? { WHARF_S3_ACCESS_KEY_ID: s3.accessKeyId } : {}),
    ...(s3.secretAccessKey ? { WHARF_S3_SECRET_ACCESS_KEY: s3.secretAccessKey } : {}),
  };
  const client = clientFor(env);
  try {
    await client.send(new CreateBucketCommand({ Bucket: env.WHARF_S3_BUCKET }));
  } finally {
    client.destroy();
  }
  return env;
}

/** Empties the bucket (objects and unfinished multipart uploads) and deletes it. */
export async function dropTestBucket(env: Record<string, string>): Promise<void> {
  if (!env.WHARF_S3_BUCKET) return;
  const client = clientFor(env);
  const Bucket = env.WHARF_S3_BUCKET;
  try {
    await deletePrefix(client, Bucket, "");
    for (;;) {
      const { Uploads = [] } = await client.send(new ListMultipartUploadsCommand({ Bucket }));
      if (!Uploads.length) break;
      for (const u of Uploads) await client.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key!, UploadId: u.UploadId! }));
    }
    await client.send(new DeleteBucketCommand({ Bucket }));
  } finally {
    client.destroy();
  }
}
