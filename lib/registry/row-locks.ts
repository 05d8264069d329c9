import { context } from "../core/context";
import type { Tx } from "../core/db";

/**
 * Row locks for the decisions pushes and collectors make inside a transaction.
 *
 * SQLite: every transaction begins IMMEDIATE (db.ts), so it holds the database's write lock from its first
 * statement and reads what the one before it committed; these functions do nothing.
 *
 * PostgreSQL (READ COMMITTED): transactions run side by side and each statement sees what was committed when it
 * started. A transaction that decides from what it reads (is this blob still named? is this link still there?)
 * first locks the rows the decision is about, always in the order Blob → BlobLink → LinkReview → BlobReview (pushes
 * write them in that order too, so no two transactions wait on each other in a circle). The lock waits for a
 * transaction that has written the row to end, and every statement after it sees that transaction's work.
 */
const onPostgres = () => context().config.databaseKind === "postgresql";

/** Locks the blob's row (when there is one). */
export async function lockBlob(tx: Tx, digest: string): Promise<void> {
  if (onPostgres()) await tx.$queryRaw`SELECT 1 FROM "Blob" WHERE "digest" = ${digest} FOR UPDATE`;
}

/** Locks the link of a blob to a repository (when there is one). */
export async function lockBlobLink(tx: Tx, repositoryId: string, digest: string): Promise<void> {
  if (onPostgres()) await tx.$queryRaw`SELECT 1 FROM "BlobLink" WHERE "repositoryId" = ${repositoryId} AND "digest" = ${digest} FOR UPDATE`;
}

export async function lockLinkReview(tx: Tx, repositoryId: string, digest: string): Promise<void> {
  if (onPostgres()) await tx.$queryRaw`SELECT 1 FROM "LinkReview" WHERE "repositoryId" = ${repositoryId} AND "digest" = ${digest} FOR UPDATE`;
}

export async function lockBlobReview(tx: Tx, digest: string): Promise<void> {
  if (onPostgres()) await tx.$queryRaw`SELECT 1 FROM "BlobReview" WHERE "digest" = ${digest} FOR UPDATE`;
}

/**
 * Orders the transactions that may create the same blob's row: a row lock cannot, while the row does not exist yet,
 * and two inserts of one digest would fail the second with a unique violation. Held to the end of the transaction.
 */
export async function serializeBlobCreation(tx: Tx, digest: string): Promise<void> {
  if (onPostgres()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${"wharf:blob:" + digest}, 0))`;
}

/**
 * Orders the transactions that may insert the same key (a repository's or a tag's name): taken before reading
 * whether the row exists, so the later transaction reads the earlier one's row instead of inserting it again.
 */
export async function serializeKey(tx: Tx, key: string): Promise<void> {
  if (onPostgres()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${"wharf:" + key}, 0))`;
}

type CreateMany<T> = { createMany(args: { data: T[] }): Promise<unknown> };

/**
 * Inserts rows whose keys another transaction may be inserting at the same moment (review queue entries): on
 * PostgreSQL the later one skips them (ON CONFLICT DO NOTHING) instead of failing; SQLite's transactions never
 * overlap. The SQLite client's types do not know skipDuplicates; the PostgreSQL client behind them does.
 */
export async function createManyOnce<T>(delegate: CreateMany<T>, data: T[]): Promise<void> {
  if (!data.length) return;
  if (onPostgres()) await (delegate.createMany as (args: { data: T[]; skipDuplicates: boolean }) => Promise<unknown>).call(delegate, { data, skipDuplicates: true });
  else await delegate.createMany({ data });
}
