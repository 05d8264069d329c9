import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * A fresh PostgreSQL database per data dir when WHARF_TEST_POSTGRES_URL names a server (see backends.ts); the
 * WHARF_DATABASE_URL to use, or {} on the embedded default.
 *
 * Each database is a copy (CREATE DATABASE … TEMPLATE) of a template with every migration applied, made once per
 * server and migrations folder: copying takes ~0.1 s where migrating an empty database takes ~1 s. Callers still
 * migrate as on SQLite (useTempDatabase deploys, the server deploys what is pending), which then finds nothing to do.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const MIGRATIONS = path.join(ROOT, "prisma", "migrations-postgresql");

function serverUrl(database: string): string {
  const url = new URL(process.env.WHARF_TEST_POSTGRES_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The admin connection: the database the runner's URL names (usually postgres). */
async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.WHARF_TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function migrationsHash(): string {
  const h = crypto.createHash("sha256");
  for (const name of fs.readdirSync(MIGRATIONS).sort()) {
    const file = path.join(MIGRATIONS, name, "migration.sql");
    if (!fs.existsSync(file)) continue;
    h.update(name);
    h.update(fs.readFileSync(file));
  }
  return h.digest("hex").slice(0, 12);
}

/** The migrated template's name, created when missing. Test processes run in parallel: an advisory lock orders them. */
async function ensureTemplate(admin: pg.Client): Promise<string> {
  const name = `wharf_tpl_${migrationsHash()}`;
  await admin.query("SELECT pg_advisory_lock(424242)");
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return name;
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const migrate = await import(path.join(ROOT, "scripts", "migrate.mjs"));
    await migrate.deploy(serverUrl(building));
    // Renamed only once complete: a template that exists is a migrated one.
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await admin.query("SELECT pg_advisory_unlock(424242)");
  }
}

export async function createTestDatabase(): Promise<Record<string, string>> {
  if (!process.env.WHARF_TEST_POSTGRES_URL) return {};
  const name = `wharf_t_${crypto.randomBytes(8).toString("hex")}`;
  await withAdmin(async (admin) => {
    const template = await ensureTemplate(admin);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  return { WHARF_DATABASE_URL: serverUrl(name) };
}

export async function dropTestDatabase(env: Record<string, string>): Promise<void> {
  if (!env.WHARF_DATABASE_URL || !process.env.WHARF_TEST_POSTGRES_URL) return;
  const name = new URL(env.WHARF_DATABASE_URL).pathname.slice(1);
  if (!/^wharf_t_[0-9a-f]+$/.test(name)) return;
  // FORCE ends the connections still open (a server that did not stop cleanly) before dropping.
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
