import pg from "pg";
import { context, slot, type Context } from "./context";

/** Tables Wharf keeps beside Prisma's (rate limits, failure budgets) live in a schema Prisma neither migrates nor drift-checks. */
export const SHARED_SCHEMA = "wharf_shared";

/**
 * A raw PostgreSQL pool beside Prisma's, for what Prisma cannot express cheaply or costs too much CPU for: the pull
 * reads (hot-reads.ts), advisory locks (one connection held per lock name), rate limits and failure budgets. Null
 * on SQLite. (The change feed's LISTEN has a connection of its own.)
 */
const poolSlot = slot<pg.Pool | null>(
  "pgPool",
  (ctx) => {
    if (ctx.config.databaseKind !== "postgresql") return null;
    const pool = new pg.Pool({ connectionString: ctx.config.databaseUrl, max: 10, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    pool.on("error", () => undefined); // an idle client lost: the pool replaces it on the next query
    return pool;
  },
  (pool) => pool?.end(),
);

/**
 * Lets the process exit while this connection is open (a lock connection held for the node's life, the change
 * feed's LISTEN): the server stays up through its HTTP listener, a CLI command or a test ends when its work does.
 */
export function unrefConnection(client: pg.ClientBase, unref = true): void {
  const stream = (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
  if (unref) stream?.unref?.();
  else stream?.ref?.();
}

export function pgPool(ctx: Context = context()): pg.Pool | null {
  return ctx.get(poolSlot);
}
