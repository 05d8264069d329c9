import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";

/**
 * Points this process's config at a fresh data dir with every migration applied:
 * unit tests of lib/ services run against a real SQLite database.
 */
export async function useTempDatabase(env: Record<string, string> = {}): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-unit-"));
  const cfg = parseConfig({ WHARF_DATA_DIR: dataDir, ...env });
  startContext(cfg);
  const migrate = await import(path.join(__dirname, "..", "..", "scripts", "migrate.mjs"));
  await migrate.deploy(cfg.databaseUrl);
  return dataDir;
}
