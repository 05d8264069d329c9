import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { context, slot } from "./context";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Makes a transaction a writer from its first statement. SQLite starts a transaction as a reader and
 * fails it (SQLITE_BUSY_SNAPSHOT, not retried) when another process writes before it upgrades; taking
 * the write lock first makes it wait its turn instead and read only committed, current rows. Call it
 * first in any transaction that reads, then writes what it read about. Costs nothing on PostgreSQL.
 */
export async function writeFirst(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe('DELETE FROM "LinkReview" WHERE 1 = 0');
}

export function createDb(url: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url, timeout: 10_000 });
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
