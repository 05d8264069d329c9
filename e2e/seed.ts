import { parseConfig } from "../lib/core/config";
import { startContext } from "../lib/core/context";
import { db } from "../lib/core/db";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createRegistry } from "../lib/services/registries";
import { backendEnv } from "../test/helpers/backends";

/**
 * Creates registries straight in a test server's database through the real lib/
 * service (the portal's create wizard comes later). The connection is closed
 * afterwards so this process holds no handle on the server's SQLite file
 * (a restart applies migrations and needs it to itself).
 */
export async function seedRegistries(dataDir: string, registries: Array<{ name: string; sku?: string; location?: string }>): Promise<void> {
  // The seeded locations are allowed here, as an operator would configure them with WHARF_LOCATIONS.
  const locations = [...new Set(["local", ...registries.flatMap((r) => (r.location ? [r.location] : []))])];
  startContext(parseConfig({ WHARF_DATA_DIR: dataDir, WHARF_LOCATIONS: locations.join(","), ...(await backendEnv(dataDir)) }));
  try {
    for (const r of registries) await createRegistry(LOCAL_OPERATOR, r);
  } finally {
    await db().$disconnect();
    // lib/db keeps one client per process on globalThis; forget it so the next seed opens a fresh one.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("wharf.db")];
  }
}

/**
 * Runs `fn` against a test server's database through the real lib/ services (for
 * what the portal does not do yet, or to change something behind the portal's back,
 * as the CLI would), then lets go of the database again.
 */
export async function withServerDb<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  startContext(parseConfig({ WHARF_DATA_DIR: dataDir, ...(await backendEnv(dataDir)) }));
  try {
    return await fn();
  } finally {
    await db().$disconnect();
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("wharf.db")];
  }
}
