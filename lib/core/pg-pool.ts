import pg from "pg";
import { context, slot, type Context } from "./context";

/** Tables Wharf keeps beside Prisma's (rate limits, failure budgets) live in a schema Prisma neither migrates nor drift-checks. */
export const SHARED_SCHEMA = "wharf_shared";

/**
 * A small raw PostgreSQL pool beside Prisma's, for what Prisma cannot express cheaply: advisory locks, the
 * rate-limit table, LISTEN. Null on SQLite.
 */
const poolSlot = slot<pg.Pool | null>(
  "pgPool",
  (ctx) => {
    if (ctx.config.databaseKind !== "postgresql") return null;
    const pool = new pg.Pool({ connectionString: ctx.config.databaseUrl, max: 4, idleTimeoutMillis: 30_000 });
    pool.on("error", () => undefined); // an idle client lost: the pool replaces it on the next query
    return pool;
  },
  (pool) => pool?.end(),
);

export function pgPool(ctx: Context = context()): pg.Pool | null {
  return ctx.get(poolSlot);
}
