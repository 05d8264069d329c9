/**
 * WHARF_REDIS_URL (and a key prefix of its own, so test servers sharing one Redis never share a budget) when
 * WHARF_TEST_REDIS_URL names a Redis server (see backends.ts), or {} on the embedded default.
 */
export async function redisEnv(): Promise<Record<string, string>> {
  if (!process.env.WHARF_TEST_REDIS_URL) return {};
  throw new Error("redisEnv: Redis for tests is not implemented yet");
}
