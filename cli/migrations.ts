import path from "node:path";
import { CliError } from "./errors";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Brings the database up to date before a command runs, so the CLI works on a
 * fresh data dir. The schema engine needs the SQLite file to itself, so it only
 * runs when something is pending; a running server has already applied
 * everything it knows about.
 */
export async function ensureMigrated(databaseUrl: string): Promise<void> {
  const { pendingMigrations, deploy } = await import(path.join(ROOT, "scripts", "migrate.mjs"));
  const pending: string[] = await pendingMigrations(databaseUrl);
  if (!pending.length) return;
  try {
    await deploy(databaseUrl);
  } catch (err) {
    // Never print a PostgreSQL password: postgres://user:secret@host/db → postgres://user:***@host/db.
    const file = databaseUrl.replace(/^file:/, "").replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, "$1:***@");
    throw new CliError(
      `The database ${file} needs migrations (${pending.join(", ")}) but could not be migrated` +
        ` (${err instanceof Error ? err.message.split("\n")[0] : String(err)}). If a Wharf server is using it,` +
        " restart the server (it applies migrations on start), or stop it and run the command again.",
    );
  }
}
