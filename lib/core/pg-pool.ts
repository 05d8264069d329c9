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

const sharedTables = new WeakMap<pg.Pool, Map<string, Promise<void>>>();

/**
 * Creates `SHARED_SCHEMA.name` with `columns` if it is missing, once per pool. Nodes start together, and
 * PostgreSQL's CREATE ... IF NOT EXISTS is not safe against itself: two at the same moment can fail on the catalog
 * ("type already exists", 42710, or a duplicate key, 23505) — every request waiting on it then failed with a 500. A
 * transaction-scoped advisory lock puts the creations one after another, so the second finds the table made. A
 * failure is not remembered: the next call tries again.
 */
export function sharedTable(pool: pg.Pool, name: string, columns: string, options: { unlogged?: boolean } = {}): Promise<void> {
  let made = sharedTables.get(pool);
  if (!made) sharedTables.set(pool, (made = new Map()));
  const byPool = made;
  let ready = byPool.get(name);
  if (!ready) {
    ready = createSharedTable(pool, name, columns, options.unlogged ?? false);
    ready.catch(() => byPool.get(name) === ready && byPool.delete(name));
    byPool.set(name, ready);
  }
  return ready;
}

async function createSharedTable(pool: pg.Pool, name: string, columns: string, unlogged: boolean): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`wharf:ddl:${SHARED_SCHEMA}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${SHARED_SCHEMA}`);
    await c.query(`CREATE ${unlogged ? "UNLOGGED " : ""}TABLE IF NOT EXISTS ${SHARED_SCHEMA}.${name} (${columns})`);
    await c.query("COMMIT");
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
