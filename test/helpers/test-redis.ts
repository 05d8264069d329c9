import crypto from "node:crypto";

/**
 * WHARF_REDIS_URL (and a key prefix of its own, so test servers sharing one Redis never share a budget) when
 * WHARF_TEST_REDIS_URL names a Redis server (see backends.ts), or {} on the embedded default.
 */
export async function redisEnv(): Promise<Record<string, string>> {
  if (!process.env.WHARF_TEST_REDIS_URL) return {};
  return { WHARF_REDIS_URL: process.env.WHARF_TEST_REDIS_URL, WHARF_REDIS_KEY_PREFIX: `test-${crypto.randomBytes(6).toString("hex")}:` };
}
