/**
 * A fresh bucket per data dir when WHARF_TEST_S3_ENDPOINT names an S3 server (see backends.ts); the WHARF_STORAGE
 * and WHARF_S3_* variables to use, or {} on the embedded default.
 */
export async function createTestBucket(): Promise<Record<string, string>> {
  if (!process.env.WHARF_TEST_S3_ENDPOINT) return {};
  throw new Error("createTestBucket: S3 test buckets are not implemented yet");
}

export async function dropTestBucket(env: Record<string, string>): Promise<void> {
  if (!env.WHARF_S3_BUCKET) return;
}
