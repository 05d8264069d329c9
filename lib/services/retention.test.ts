import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { manifestService } from "../registry/manifest-service";
import { age, engineRepo, pushImage, pushIndex } from "../../test/helpers/engine-images";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { LOCAL_OPERATOR } from "../auth/actor";
import type { Principal } from "../auth/principal";
import { setLocks } from "./locks";
import { retentionStep, showRetention, updateRetention } from "./retention";
import { createUser } from "./users";

const fails = (c: string, field?: string) => (err: unknown) => err instanceof WharfError && err.code === c && (field === undefined || err.field === field);
let registryId: string;
let reader: Principal;

before(async () => {
  await useTempDatabase();
  registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
  await db().registry.create({ data: { name: "fabrikam" } });
  reader = { kind: "user", id: (await createUser("reader", "reader-password")).id, name: "reader" };
  await db().roleAssignment.create({ data: { principalType: "user", principalId: reader.kind === "user" ? reader.id : "", role: "Reader", scope: "/registries/contoso" } });
});

describe("retention policy", () => {
  test("show and update as az acr config retention; bad values get field errors; Reader may look, not change", async () => {
    assert.deepEqual(await showRetention(reader, { registry: "contoso" }).then(({ lastUpdatedTime: _, ...p }) => p), { registry: "contoso", status: "disabled", days: 7, type: "UntaggedManifests" });
    await assert.rejects(updateRetention(reader, { registry: "contoso", status: "enabled", days: 3 }), fails("DENIED"));
    await assert.rejects(updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "on" }), fails("INVALID", "status"));
    await assert.rejects(updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "enabled", days: 366 }), fails("INVALID", "days"));
    await assert.rejects(updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "enabled", days: 1.5 }), fails("INVALID", "days"));
    await assert.rejects(updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "enabled", type: "TaggedManifests" }), fails("INVALID", "type"));
    const p = await updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "Enabled", days: 3, type: "UntaggedManifests" });
    assert.deepEqual([p.status, p.days], ["enabled", 3]);
    const log = await db().activityLog.findFirstOrThrow({ where: { registryId, action: "registry.retention" } });
    assert.deepEqual([JSON.parse(log.before!), JSON.parse(log.after!)], [{ status: "disabled", days: 7 }, { status: "enabled", days: 3 }]);
  });

  test("the step deletes old untagged manifests; keeps tagged, locked, young ones, index children of a tagged index and referrers of a kept subject", async () => {
    const repo = await engineRepo(registryId, "contoso", "app");
    const tagged = await pushImage(repo, "v1");
    const old = await pushImage(repo, null);
    const oldSig = await pushImage(repo, null, { subject: old });
    const locked = await pushImage(repo, null);
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", digest: locked.digest }, { deleteEnabled: false });
    const keptSig = await pushImage(repo, null, { subject: tagged });
    const amd = await pushImage(repo, null);
    await pushIndex(repo, "multi", [amd]);
    await age(repo.id, 10);
    const young = await pushImage(repo, null);
    // Another registry without retention keeps its untagged manifests.
    const fab = await db().registry.findUniqueOrThrow({ where: { name: "fabrikam" } });
    const elsewhere = await engineRepo(fab.id, "fabrikam", "app");
    const orphan = await pushImage(elsewhere, null);
    await age(elsewhere.id, 10);

    const dry = await retentionStep.run({ dryRun: true, now: new Date(), actor: "test" });
    assert.deepEqual(dry.map((i) => i.digest), [old.digest]);
    assert.equal(await db().manifest.count({ where: { digest: old.digest } }), 1);

    const done = await retentionStep.run({ dryRun: false, now: new Date(), actor: "test" });
    assert.deepEqual(done.map((i) => i.digest).sort(), [old.digest, oldSig.digest].sort());
    const left = new Set((await db().manifest.findMany({ select: { digest: true } })).map((m) => m.digest));
    for (const d of [tagged, locked, keptSig, amd, young, orphan]) assert.ok(left.has(d.digest), d.digest);
    assert.ok(!left.has(old.digest) && !left.has(oldSig.digest));

    // Age counts from losing the last tag, not from the push: an old image untagged today stays.
    const veteran = await pushImage(repo, "v-old");
    await age(repo.id, 30, { digest: veteran.digest });
    await manifestService.delete(repo, "v-old");
    assert.deepEqual(await retentionStep.run({ dryRun: true, now: new Date(), actor: "test" }), []);

    // days = 0: anything untagged goes at the next run.
    await updateRetention(LOCAL_OPERATOR, { registry: "contoso", status: "enabled", days: 0 });
    const now = await retentionStep.run({ registryId, dryRun: false, now: new Date(Date.now() + 1000), actor: "test" });
    assert.deepEqual(now.map((i) => i.digest).sort(), [young.digest, veteran.digest].sort());
  });
});
