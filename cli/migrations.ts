import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { UsageError } from "./args";

const ROOT = path.resolve(__dirname, "..", "..");
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

/** Names of migrations in the source tree that the database has not applied. */
function pendingMigrations(file: string): string[] {
  const all = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, "migration.sql")))
        .map((d) => d.name)
    : [];
  if (!fs.existsSync(file)) return all;
  const sqlite = new Database(file, { readonly: true, timeout: 10_000 });
  try {
    const rows = sqlite
      .prepare("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .all() as { name: string }[];
    const applied = new Set(rows.map((r) => r.name));
    return all.filter((m) => !applied.has(m));
  } catch {
    return all; // No migrations table yet: an empty database.
  } finally {
    sqlite.close();
  }
}

/**
 * Brings the database up to date before a command runs, so the CLI works on a
 * fresh data dir. The schema engine needs the SQLite file to itself (it takes
 * an exclusive lock), so it only runs when something is pending; a running
 * server has already applied everything it knows about.
 */
export async function ensureMigrated(databaseUrl: string): Promise<void> {
  const file = databaseUrl.replace(/^file:/, "");
  const pending = pendingMigrations(file);
  if (!pending.length) return;
  const { deploy } = await import(path.join(ROOT, "scripts", "migrate.mjs"));
  try {
    await deploy(databaseUrl);
  } catch (err) {
    throw new UsageError(
      `The database ${file} needs migrations (${pending.join(", ")}) but could not be migrated` +
        ` (${err instanceof Error ? err.message.split("\n")[0] : String(err)}). If a Wharf server is using it,` +
        " restart the server (it applies migrations on start), or stop it and run the command again.",
    );
  }
}
