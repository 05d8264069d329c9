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

test("a manifest pull is remembered in memory and written as lastPulledAt at the flush, lastUpdateTime unchanged", async () => {
  const repo = await db().repository.create({ data: { registryId, name: "pulled" } });
  const updatedAt = new Date("2026-01-01T00:00:00Z");
  const [m1, m2, m3] = await Promise.all(
    ["a", "b", "c"].map((c) => db().manifest.create({ data: { repositoryId: repo.id, digest: `sha256:${c.repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 10, updatedAt } })),
  );
  await flushUsageStats();
  const before = Date.now();
  countPull(registryId, repo.id, m1.digest);
  countPull(registryId, repo.id, m2.digest);
  countPull(registryId, repo.id, m1.digest);
  countPull(registryId); // a pull without a manifest (counts only)
  assert.equal(await db().manifest.count({ where: { lastPulledAt: { not: null } } }), 0, "no write per request");
  await flushUsageStats();
  const rows = new Map((await db().manifest.findMany({ where: { repositoryId: repo.id } })).map((m) => [m.digest, m]));
  for (const m of [m1, m2]) {
    const got = rows.get(m.digest)!;
    assert.ok(got.lastPulledAt && got.lastPulledAt.getTime() >= before && got.lastPulledAt.getTime() <= Date.now(), `${m.digest} lastPulledAt ${got.lastPulledAt}`);
    assert.equal(got.updatedAt.getTime(), updatedAt.getTime(), "a pull is not an update");
  }
  assert.equal(rows.get(m3.digest)!.lastPulledAt, null, "never pulled");

  // A later time written by another node is never moved back by an older pending one.
  const later = new Date(Date.now() + 3_600_000);
  await db().manifest.update({ where: { id: m1.id }, data: { lastPulledAt: later } });
  countPull(registryId, repo.id, m1.digest);
  await flushUsageStats();
  assert.equal((await db().manifest.findUniqueOrThrow({ where: { id: m1.id } })).lastPulledAt?.getTime(), later.getTime());
});
