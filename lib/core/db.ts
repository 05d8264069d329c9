import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PostgresClient } from "../generated/prisma-pg/client";
import { context, slot } from "./context";

/**
 * The SQLite client's type is the public one. The PostgreSQL client is generated from a copy of the same schema
 * (scripts/pg-schema.mjs), so its models, arguments and results are the same; only the provider differs.
 */
export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];


/**
 * Prisma's SQLite adapter opens every transaction (interactive, and the ones it makes for a single updateMany or
 * upsert, which read before they write) with a plain BEGIN: a reader that upgrades on its first write. When another
 * process (the CLI, a second server) commits in between, SQLite fails the upgrade at once (SQLITE_BUSY_SNAPSHOT)
 * instead of waiting. BEGIN IMMEDIATE takes the write lock first, so transactions queue behind each other through
 * the busy timeout and always read current rows. Measured cost: none on the pull path, which reads outside
 * transactions (hot-reads.ts).
 */
class ImmediateSqlite extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: { prepare: (sql: string) => unknown } }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  }
}

/**
 * Connections each process keeps to PostgreSQL. A node's transactions are short (a push's rows, one collector
 * step), so 10 keep a node busy while three nodes stay far below the server's default max_connections (100).
 */
export const POSTGRES_POOL_SIZE = 10;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function createDb(url: string): PrismaClient {
  if (isPostgresUrl(url)) {
    // JIT off: the portal's storage figures (a few CTEs over 20,000 manifests) spent 550 of 740 ms compiling
    // because the planner overestimated rows; Wharf's queries are short OLTP, which JIT never pays back.
    const adapter = new PrismaPg({ connectionString: url, max: POSTGRES_POOL_SIZE, options: "-c jit=off" });
    // Waits as on SQLite: for a free pooled connection, and for row locks another node holds.
    return new PostgresClient({ adapter, transactionOptions: { maxWait: 30_000, timeout: 60_000 } }) as unknown as PrismaClient;
  }
  // The busy timeout is how long a statement waits for another process's write lock; as long as maxWait, so a
  // push queued behind the CLI's collection on a loaded 2-core machine waits instead of failing with SQLITE_BUSY.
  const adapter = new ImmediateSqlite({ url, timeout: 30_000 });
  // A transaction waits for this process's earlier ones (one SQLite connection) and for another process's write
  // lock (the CLI collecting garbage, a migration): under a burst of pushes that can take seconds, and a push that
  // waits is better than one refused with "Unable to start a transaction in the given time".
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 30_000, timeout: 60_000 } });
}

const dbSlot = slot(
  "db",
  (ctx) => createDb(ctx.config.databaseUrl),
  (client) => client.$disconnect(),
);

/** The context's database client, shared by the data plane, server actions and the CLI. */
export function db(): PrismaClient {
  return context().get(dbSlot);
}

/**
 * Runs an upsert (outside a transaction) again when it lost a race to insert the same key. Prisma answers an upsert
 * with a read then an insert; on SQLite nothing runs between them, on PostgreSQL another node's insert can, and the
 * second attempt then finds the row and updates it.
 */
export async function retryOnUniqueViolation<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if ((err as { code?: string }).code !== "P2002") throw err;
    return upsert();
  }
}

/**
 * Prisma's codes for a transaction that lost a race on PostgreSQL (READ COMMITTED, transactions side by side): P2025,
 * a row it had read was deleted by another transaction before it wrote or deleted that row; P2003, a row it points a
 * new row at was deleted meanwhile; P2034, a deadlock or write conflict PostgreSQL broke by failing this transaction.
 */
const LOST_RACE = new Set(["P2025", "P2003", "P2034"]);

/**
 * Runs a transaction again (up to 3 attempts) when it lost a race with another one. Each attempt reads afresh, so the
 * next sees what the winner committed and answers from it: a manifest deleted twice at once is deleted once and the
 * second caller is told it is gone, not answered 500. Only for transactions whose every effect is in the database
 * or can be repeated (bytes written under their digest). On SQLite transactions queue and never meet these races;
 * there an error of these codes is genuine and comes back after the last attempt like any other.
 */
export async function retryLostRace<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (attempt >= 3 || !LOST_RACE.has((err as { code?: string }).code ?? "")) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
