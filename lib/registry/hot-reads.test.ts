import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
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
  const other = new Database(path.join(dataDir, "wharf.db"));
  try {
    other.prepare(`INSERT INTO "Blob" ("digest", "size", "createdAt") VALUES (?, 42, ?)`).run(blobDigest, Date.now());
    other.prepare(`INSERT INTO "BlobLink" ("repositoryId", "digest", "createdAt") VALUES (?, ?, ?)`).run(repo.id, blobDigest, Date.now());
    assert.equal(await reads.linkedBlobSize(repo.id, blobDigest), 42);
    other.prepare(`DELETE FROM "Tag" WHERE "repositoryId" = ? AND "name" = 'v2'`).run(repo.id);
    assert.equal(await reads.manifestByTag(repo.id, "v2"), null);
  } finally {
    other.close();
  }
});
