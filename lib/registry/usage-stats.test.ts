import { before, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { countPull, countPush, flushUsageStats, storageUsedBytes, usageLastDays, utcDay } from "./usage-stats";

let registryId: string;
before(async () => {
  await useTempDatabase();
  registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
});

test("counts are kept in memory, visible before and after they are written", async () => {
  countPull(registryId);
  countPull(registryId);
  countPush(registryId);
  const before = await usageLastDays(registryId, 7);
  assert.equal(before.length, 7);
  assert.equal(before[6].day, utcDay());
  assert.deepEqual(before[6], { day: utcDay(), pushes: 1, pulls: 2 });
  assert.equal(await db().registryDailyStat.count(), 0, "no write per request");
  await flushUsageStats();
  countPull(registryId);
  await flushUsageStats();
  const row = await db().registryDailyStat.findUnique({ where: { registryId_day: { registryId, day: utcDay() } } });
  assert.deepEqual({ pushes: row?.pushes, pulls: row?.pulls }, { pushes: 1, pulls: 3 });
  assert.deepEqual((await usageLastDays(registryId, 7))[6], { day: utcDay(), pushes: 1, pulls: 3 });
});

test("storage used counts each linked blob once per registry", async () => {
  const a = await db().repository.create({ data: { registryId, name: "a" } });
  const b = await db().repository.create({ data: { registryId, name: "b" } });
  await db().blob.create({ data: { digest: "sha256:" + "1".repeat(64), size: 1000n } });
  await db().blob.create({ data: { digest: "sha256:" + "2".repeat(64), size: 24n } });
  await db().blob.create({ data: { digest: "sha256:" + "3".repeat(64), size: 7n } }); // unlinked
  for (const repo of [a, b]) await db().blobLink.create({ data: { repositoryId: repo.id, digest: "sha256:" + "1".repeat(64) } });
  await db().blobLink.create({ data: { repositoryId: b.id, digest: "sha256:" + "2".repeat(64) } });
  assert.equal(await storageUsedBytes(registryId), 1024);
});
