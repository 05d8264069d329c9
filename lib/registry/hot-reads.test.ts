import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { config } from "../core/context";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { hotReads } from "./hot-reads";

/** The memoised pull reads must see every committed write, from this process's Prisma or from another connection. */
let dataDir: string;
after(async () => {
  await db().$disconnect();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("tag, digest and blob-link answers follow writes made through Prisma and through another connection", async () => {
  dataDir = await useTempDatabase();
  const registry = await db().registry.create({ data: { name: "contoso" } });
  const repo = await db().repository.create({ data: { registryId: registry.id, name: "app" } });
  const manifest = (digest: string) =>
    db().manifest.create({ data: { repositoryId: repo.id, digest, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 10, contentSize: 0n } });
  const one = await manifest("sha256:" + "1".repeat(64));
  const two = await manifest("sha256:" + "2".repeat(64));
  await db().tag.create({ data: { repositoryId: repo.id, name: "v1", manifestId: one.id } });

  const reads = hotReads();
  assert.equal((await reads.manifestByTag(repo.id, "v1"))?.digest, one.digest);
  assert.equal((await reads.manifestByTag(repo.id, "v1"))?.digest, one.digest, "a repeated read is answered the same");
  assert.equal(await reads.manifestByTag(repo.id, "v2"), null);

  // This process's writer (Prisma): retag, lock, and a new tag where there was none.
  await db().tag.update({ where: { repositoryId_name: { repositoryId: repo.id, name: "v1" } }, data: { manifestId: two.id } });
  assert.equal((await reads.manifestByTag(repo.id, "v1"))?.digest, two.digest);
  await db().manifest.update({ where: { id: two.id }, data: { readEnabled: false } });
  assert.equal((await reads.manifestByTag(repo.id, "v1"))?.readLock, "manifest");
  assert.equal((await reads.manifestByDigest(repo.id, two.digest))?.readLock, "manifest");
  await db().tag.create({ data: { repositoryId: repo.id, name: "v2", manifestId: one.id } });
  assert.equal((await reads.manifestByTag(repo.id, "v2"))?.digest, one.digest, "a remembered miss is forgotten");

  // Another connection, as the CLI or a second server process would write.
  const blobDigest = "sha256:" + "3".repeat(64);
  assert.equal(await reads.linkedBlobSize(repo.id, blobDigest), null);
  // On PostgreSQL another node's connection; on SQLite another process's.
  const other = await otherConnection();
  try {
    await other.run(`INSERT INTO "Blob" ("digest", "size", "createdAt") VALUES (?, 42, ?)`, blobDigest, other.now);
    await other.run(`INSERT INTO "BlobLink" ("repositoryId", "digest", "createdAt") VALUES (?, ?, ?)`, repo.id, blobDigest, other.now);
    assert.equal(await reads.linkedBlobSize(repo.id, blobDigest), 42);
    await other.run(`DELETE FROM "Tag" WHERE "repositoryId" = ? AND "name" = 'v2'`, repo.id);
    assert.equal(await reads.manifestByTag(repo.id, "v2"), null);
  } finally {
    await other.close();
  }
});

async function otherConnection(): Promise<{ run: (sql: string, ...args: unknown[]) => Promise<void>; now: unknown; close: () => Promise<void> }> {
  if (config().databaseKind === "postgresql") {
    const c = new pg.Client({ connectionString: config().databaseUrl });
    await c.connect();
    return {
      run: async (sql, ...args) => void (await c.query(sql.replace(/\?/g, ((n) => () => `$${++n}`)(0)), args)),
      now: new Date(),
      close: () => c.end(),
    };
  }
  const d = new Database(path.join(dataDir, "wharf.db"));
  return { run: async (sql, ...args) => void d.prepare(sql).run(...args), now: Date.now(), close: async () => void d.close() };
}
