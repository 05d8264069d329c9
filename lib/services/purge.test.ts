import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { age, engineRepo, pushImage, pushIndex } from "../../test/helpers/engine-images";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { LOCAL_OPERATOR } from "../auth/actor";
import type { Principal } from "../auth/principal";
import type { Repo } from "../registry/repository-resolver";
import { deleteManifest } from "../registry/manifest-delete";
import { setLocks } from "./locks";
import { planPurge, runPurge, MAX_PLAN_ITEMS } from "./purge";
import { createTagRule } from "./tag-rules";
import { createUser } from "./users";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
let registryId: string;
let app: Repo;
let other: Repo;
let deleter: Principal; // Reader on the registry, AcrDelete on contoso/app only
let nobody: Principal;

const tagsOf = async (r: Repo) => (await db().tag.findMany({ where: { repositoryId: r.id }, select: { name: true } })).map((t) => t.name).sort();
const exists = async (r: Repo, digest: string) => !!(await db().manifest.count({ where: { repositoryId: r.id, digest } }));

before(async () => {
  await useTempDatabase();
  registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
  const mk = async (n: string) => ({ kind: "user" as const, id: (await createUser(n, `${n}-password`)).id, name: n });
  deleter = await mk("deleter");
  nobody = await mk("nobody");
  const id = deleter.kind === "user" ? deleter.id : "";
  await db().roleAssignment.createMany({
    data: [
      { principalType: "user", principalId: id, role: "Reader", scope: "/registries/contoso" },
      { principalType: "user", principalId: id, role: "AcrDelete", scope: "/registries/contoso/repositories/app" },
    ],
  });
  app = await engineRepo(registryId, "contoso", "app");
  other = await engineRepo(registryId, "contoso", "other");
});

describe("purge through the service", () => {
  test("the plan is what the run deletes: --ago, --keep, --untagged with an index and a referrer", async () => {
    const v1 = await pushImage(app, "v1");
    const v2 = await pushImage(app, "v2");
    const v3 = await pushImage(app, "v3");
    const sig = await pushImage(app, null, { subject: v1 });
    const amd = await pushImage(app, null);
    const arm = await pushImage(app, null, { arch: "arm64" });
    const idx = await pushIndex(app, "multi", [amd, arm]);
    await pushImage(app, "latest");
    await age(app.id, 40);
    await age(app.id, 0, { tag: "latest" });
    const input = { registry: "contoso", filters: ["app:v.*|multi"], ago: "30d", keep: 1, untagged: true };
    const plan = await planPurge(LOCAL_OPERATOR, input);
    const [p] = plan.repositories;
    // Newest matching tags first: v3/v2/v1/multi all aged alike, so ties go by name: keep "multi".
    assert.deepEqual(p.skipped.map((s) => [s.tag, s.reason]), [["multi", "keep"]]);
    assert.deepEqual(p.tags.map((t) => t.tag), ["v1", "v2", "v3"]);
    assert.deepEqual(
      p.manifests.map((m) => [m.digest, m.with]).sort(),
      [[v1.digest, null], [sig.digest, v1.digest], [v2.digest, null], [v3.digest, null]].sort(),
    );
    assert.equal(plan.counts.tags, 3);
    assert.equal(plan.counts.manifests, 4);
    const run = await runPurge(LOCAL_OPERATOR, { ...input, fingerprint: plan.fingerprint });
    const [r] = run.repositories;
    assert.ok(r.tags.every((t) => t.deleted) && r.manifests.every((m) => m.deleted), JSON.stringify(r));
    assert.deepEqual(await tagsOf(app), ["latest", "multi"]);
    for (const d of [v1, v2, v3, sig]) assert.equal(await exists(app, d.digest), false);
    for (const d of [idx, amd, arm]) assert.equal(await exists(app, d.digest), true);
    const log = await db().activityLog.findFirst({ where: { action: "registry.purge" }, orderBy: { at: "desc" } });
    assert.equal(log?.actor, "local-operator");
    assert.deepEqual(JSON.parse(log!.after!), { filters: ["app:v.*|multi"], ago: "30d", keep: 1, untagged: true, tagsDeleted: 3, manifestsDeleted: 4, failed: 0, skipped: 1, bytes: r.manifests.reduce((n, m) => n + m.bytes, 0), recycled: 0 });
  });

  test("a repository the caller may not delete from is reported, not silently left; no role at all is refused", async () => {
    await pushImage(app, "old");
    await pushImage(other, "old");
    await age(app.id, 10, { tag: "old" });
    await age(other.id, 10, { tag: "old" });
    const plan = await planPurge(deleter, { registry: "contoso", filters: [".*:old"] });
    assert.deepEqual(plan.repositories.map((p) => [p.repository, p.tags.map((t) => t.tag), p.skipped.map((s) => s.reason)]), [
      ["app", ["old"], []],
      ["other", [], ["not-authorised"]],
    ]);
    await assert.rejects(planPurge(nobody, { registry: "contoso", filters: [".*:old"] }), code("DENIED"));
    // Authorisation before validation: a bad filter from someone without a role is still DENIED.
    await assert.rejects(planPurge(nobody, { registry: "contoso", filters: ["bad"] }), code("DENIED"));
    await assert.rejects(planPurge(deleter, { registry: "contoso", filters: ["bad"] }), code("INVALID"));
    await runPurge(deleter, { registry: "contoso", filters: [".*:old"] });
    assert.ok(!(await tagsOf(app)).includes("old"));
    assert.ok((await tagsOf(other)).includes("old"));
  });

  test("a lock or a write-once rule keeps a tag; a change after the preview makes the run refuse instead of deleting something else", async () => {
    await pushImage(app, "rc1");
    await pushImage(app, "rc2");
    await pushImage(app, "rc3");
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "rc1" }, { deleteEnabled: false });
    // Changing a lock counts as an update of the tag: age them afterwards.
    for (const tag of ["rc1", "rc2", "rc3"]) await age(app.id, 5, { tag });
    await createTagRule(LOCAL_OPERATOR, { registry: "contoso", tagPattern: "rc2" });
    const input = { registry: "contoso", filters: ["app:rc.*"], ago: "1d" };
    const preview = await planPurge(LOCAL_OPERATOR, input);
    assert.deepEqual(preview.repositories[0].skipped.map((s) => [s.tag, s.reason]).sort(), [["rc1", "locked"], ["rc2", "write-once"]]);
    assert.deepEqual(preview.repositories[0].tags.map((t) => t.tag), ["rc3"]);
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "app", tag: "rc3" }, { writeEnabled: false });
    await age(app.id, 5, { tag: "rc3" });
    await assert.rejects(runPurge(LOCAL_OPERATOR, { ...input, fingerprint: preview.fingerprint }), code("CONFLICT"));
    const run = await runPurge(LOCAL_OPERATOR, input);
    assert.equal(run.counts.tagsDeleted, 0);
    assert.deepEqual(run.repositories[0].skipped.map((s) => [s.tag, s.reason]).sort(), [["rc1", "locked"], ["rc2", "write-once"], ["rc3", "locked"]]);
    assert.deepEqual((await tagsOf(app)).filter((t) => t.startsWith("rc")), ["rc1", "rc2", "rc3"]);
  });

  test("bad options get field errors; an oversized plan is refused before anything is deleted", async () => {
    await assert.rejects(planPurge(LOCAL_OPERATOR, { registry: "contoso", filters: ["app:.*"], ago: "30 days" }), (e) => code("INVALID")(e) && (e as WharfError).field === "ago");
    await assert.rejects(planPurge(LOCAL_OPERATOR, { registry: "contoso", filters: ["app:.*"], keep: -1 }), (e) => code("INVALID")(e) && (e as WharfError).field === "keep");
    const bulk = await engineRepo(registryId, "contoso", "bulk");
    const m = await pushImage(bulk, "t0");
    const row = await db().manifest.findFirstOrThrow({ where: { repositoryId: bulk.id, digest: m.digest }, select: { id: true } });
    await db().tag.createMany({ data: Array.from({ length: MAX_PLAN_ITEMS }, (_, i) => ({ repositoryId: bulk.id, name: `t${i + 1}`, manifestId: row.id })) });
    await assert.rejects(planPurge(LOCAL_OPERATOR, { registry: "contoso", filters: ["bulk:.*"] }), (e) => code("INVALID")(e) && /more than 10,000/.test((e as Error).message));
    assert.equal(await db().tag.count({ where: { repositoryId: bulk.id } }), MAX_PLAN_ITEMS + 1);
  });

  test("the engine's conditions: a tag moved meanwhile, or a manifest tagged meanwhile, is kept", async () => {
    const a = await pushImage(app, "moving");
    const b = await pushImage(app, "moving");
    await assert.rejects(deleteManifest(app, "moving", { tagDigest: a.digest }), code("CONFLICT"));
    assert.ok((await tagsOf(app)).includes("moving"));
    await assert.rejects(deleteManifest(app, b.digest, { untaggedOnly: true }), code("CONFLICT"));
    assert.equal(await exists(app, b.digest), true);
    assert.deepEqual(await deleteManifest(app, a.digest, { untaggedOnly: true }).then((r) => r.map((m) => m.digest)), [a.digest]);
    await deleteManifest(app, "moving", { tagDigest: b.digest });
    assert.ok(!(await tagsOf(app)).includes("moving"));
  });
});
