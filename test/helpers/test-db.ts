import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { db } from "../../lib/core/db";
import { splitName } from "../../lib/core/names";
import { ensureRepository, type Repo } from "../../lib/registry/repository-resolver";
import { backendEnv, dropBackends } from "./backends";

/**
 * Points this process's config at a fresh data dir with every migration applied:
 * unit tests of lib/ services run against a real SQLite database.
 */
export async function useTempDatabase(env: Record<string, string> = {}): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-unit-"));
  const cfg = parseConfig({ WHARF_DATA_DIR: dataDir, ...(await backendEnv(dataDir)), ...env });
  startContext(cfg);
  const migrate = await import(path.join(__dirname, "..", "..", "scripts", "migrate.mjs"));
  await migrate.deploy(cfg.databaseUrl);
  return dataDir;
}

/** Engine tests: a fresh database with registry contoso and its repositories app and other. */
export async function useEngineRepositories(): Promise<{ dataDir: string; repo: Repo; other: Repo }> {
  const dataDir = await useTempDatabase();
  await db().registry.create({ data: { name: "contoso" } });
  return { dataDir, repo: await ensureRepository(splitName("contoso/app", null)), other: await ensureRepository(splitName("contoso/other", null)) };
}

export async function closeTempDatabase(dataDir: string): Promise<void> {
  await db().$disconnect();
  await dropBackends(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/**
 * PostgreSQL: waits until some session of this database waits for a lock. A race test holds one transaction open,
 * starts the other side, and commits only once that side is queued behind it.
 */
export async function untilSomeoneWaitsOnALock(): Promise<void> {
  for (;;) {
    const rows = await db().$queryRaw<{ n: bigint }[]>`
      SELECT COUNT(*) AS "n" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (Number(rows[0].n) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
