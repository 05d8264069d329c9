import { before, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { countPull, flushUsageStats } from "../registry/usage-stats";
import { LOCAL_OPERATOR } from "../auth/actor";
import { listActivity, parseTime } from "./activity";
import { createServicePrincipal } from "./service-principals";
import { pruneActivity, RETENTION_BATCH } from "./activity-retention";

let registryId: string;
before(async () => {
  await useTempDatabase();
  registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
});

test("pulls become one row per repository, principal and hour whose count grows across flushes, even flushes at once", async () => {
  const who = { repository: "app", principal: "alice", address: "10.0.0.1" };
  countPull(registryId, undefined, undefined, who);
  countPull(registryId, undefined, undefined, who);
  assert.equal(await db().activityLog.count({ where: { action: "pull" } }), 0, "no write per pull");
  const first = flushUsageStats();
  countPull(registryId, undefined, undefined, who);
  countPull(registryId, undefined, undefined, { ...who, principal: "bob" });
  await Promise.all([first, flushUsageStats()]);
  const rows = await db().activityLog.findMany({ where: { action: "pull" }, orderBy: { actor: "asc" } });
  assert.deepEqual(
    rows.map((r) => [r.actor, r.repository, r.count, r.registryId, r.address]),
    [
      ["alice", "app", 3, registryId, "10.0.0.1"],
      ["bob", "app", 1, registryId, "10.0.0.1"],
    ],
  );
});

test("--since reads durations ago and ISO times, and says what it accepts otherwise", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  assert.equal(parseTime("1h", "since", now).toISOString(), "2026-12-01T11:00:00.000Z");
  assert.equal(parseTime("7d", "since", now).toISOString(), "2026-11-24T12:00:00.000Z");
  assert.equal(parseTime("30m", "since", now).toISOString(), "2026-12-01T11:30:00.000Z");
  assert.equal(parseTime("2026-11-30T08:00:00Z", "since", now).toISOString(), "2026-11-30T08:00:00.000Z");
  for (const bad of ["yesterday", "1 hour", "2026-13-45", ""]) assert.throws(() => parseTime(bad, "since", now), /30m, 1h, 7d/, bad);
});

test("retention deletes rows older than the configured days in batches and keeps the rest", async () => {
  const old = new Date(Date.now() - 91 * 86_400_000);
  const n = RETENTION_BATCH + 5;
  await db().activityLog.createMany({ data: Array.from({ length: n }, (_, i) => ({ at: old, actor: "x", action: "test.old", target: `t${i}` })) });
  await db().activityLog.create({ data: { at: new Date(Date.now() - 89 * 86_400_000), actor: "x", action: "test.recent", target: "kept" } });
  assert.equal(await pruneActivity(), n);
  assert.equal(await db().activityLog.count({ where: { action: "test.old" } }), 0);
  assert.equal(await db().activityLog.count({ where: { action: "test.recent" } }), 1);
});

test("a service principal's entries carry its display name beside the client id its tokens use", async () => {
  const sp = await createServicePrincipal(LOCAL_OPERATOR, { displayName: "ci-pipeline" });
  await db().activityLog.create({ data: { actor: sp.clientId, action: "manifest.push", target: "contoso/app:v1", registryId } });
  await db().activityLog.create({ data: { actor: "alice", action: "manifest.push", target: "contoso/app:v2", registryId } });
  const page = await listActivity(LOCAL_OPERATOR, { registry: "contoso", action: "manifest.push" });
  const byTarget = new Map(page.items.map((r) => [r.target, r]));
  assert.equal(byTarget.get("contoso/app:v1")?.actorName, "ci-pipeline");
  assert.equal(byTarget.get("contoso/app:v1")?.actor, sp.clientId);
  assert.equal(byTarget.get("contoso/app:v2")?.actorName, null);
});
