/**
 * A fresh PostgreSQL database per data dir when WHARF_TEST_POSTGRES_URL names a server (see backends.ts); the
 * WHARF_DATABASE_URL to use, or {} on the embedded default.
 */
export async function createTestDatabase(): Promise<Record<string, string>> {
  if (!process.env.WHARF_TEST_POSTGRES_URL) return {};
  throw new Error("createTestDatabase: PostgreSQL test databases are not implemented yet");
}

export async function dropTestDatabase(env: Record<string, string>): Promise<void> {
  if (!env.WHARF_DATABASE_URL) return;
}
