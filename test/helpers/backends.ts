import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, dropTestDatabase } from "./test-postgres";
import { redisEnv } from "./test-redis";
import { createTestBucket, dropTestBucket } from "./test-s3";

/**
 * Every suite runs on the embedded defaults (SQLite + files) and, under `npm test -- --backend=postgres-s3`, on
 * PostgreSQL + S3 + Redis: the runner starts the engines and sets WHARF_TEST_POSTGRES_URL / WHARF_TEST_S3_* /
 * WHARF_TEST_REDIS_URL for the tests. Each data dir then gets a database, a bucket and a Redis key prefix of its own. The env is remembered in the data dir, so every process
 * that opens it (server, CLI, a seed script, a restart) points at the same database and bucket.
 */
const FILE = "test-backends.json";

export async function backendEnv(dataDir: string): Promise<Record<string, string>> {
  const file = path.join(dataDir, FILE);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const env = { ...(await createTestDatabase()), ...(await createTestBucket()), ...(await redisEnv()) };
  fs.writeFileSync(file, JSON.stringify(env));
  return env;
}

/** Drops the database and bucket a data dir was given (nothing on the embedded defaults). */
export async function dropBackends(dataDir: string): Promise<void> {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) return;
  const env = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  await dropTestDatabase(env).catch(() => undefined);
  await dropTestBucket(env).catch(() => undefined);
}

/** The database URL of a data dir's server: its test database when one was created, else its SQLite file. */
export function databaseUrlOf(dataDir: string): string {
  const file = path.join(dataDir, FILE);
  const env = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>) : {};
  return env.WHARF_DATABASE_URL ?? `file:${path.join(dataDir, "wharf.db")}`;
}
