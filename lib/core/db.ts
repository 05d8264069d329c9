import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { context, slot } from "./context";

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

export function createDb(url: string): PrismaClient {
  const adapter = new ImmediateSqlite({ url, timeout: 10_000 });
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
