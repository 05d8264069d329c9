import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { splitName } from "../core/names";
import type { Principal } from "../auth/principal";
import { LOCAL_OPERATOR } from "../auth/actor";
import { manifestService } from "../registry/manifest-service";
import { ensureRepository, type Repo } from "../registry/repository-resolver";
import { uploadSessions } from "../registry/upload-session";
import { createUser } from "./users";
import { createRegistry } from "./registries";
import { deleteManifests } from "./manifests";
import { runLifecycle } from "./gc";
import { deleteNow, listDeleted, restore, showSoftDelete, updateSoftDelete } from "./recycle-bin";

/** The control plane of soft delete against a real SQLite database: who may do what, what is checked, what is recorded. */

const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const code = (c: string, field?: string) => (err: unknown) => err instanceof WharfError && err.code === c && (field === undefined || err.field === field);
const MT = "application/vnd.oci.image.manifest.v1+json";

async function userWith(name: string, role: string, scope: string): Promise<Principal> {
  const u = await createUser(name, `${name}-password`);
  await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role, scope } });
  return { kind: "user", id: u.id, name };
}

async function pushImage(repo: Repo, tag: string): Promise<string> {
  const blob = async (b: Buffer) => {
    const s = await uploadSessions.start(repo);
    return uploadSessions.finish(repo, s.id, sha(b), Readable.from([b]));
  };
  const layer = await blob(Buffer.from(crypto.randomUUID()));
  const cfg = await blob(Buffer.from(JSON.stringify({ os: "linux", id: crypto.randomUUID() })));
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT, config: { mediaType: "application/vnd.oci.image.config.v1+json", ...cfg }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer }] }));
  await manifestService.put(repo, tag, bytes, MT);
  return sha(bytes);
}

let owner: Principal;
let reader: Principal;
let pusher: Principal;
let repo: Repo;

before(async () => {
  await useTempDatabase();
  await createRegistry(LOCAL_OPERATOR, { name: "binreg", sku: "Standard" });
  await createRegistry(LOCAL_OPERATOR, { name: "otherreg", sku: "Standard" });
  owner = await userWith("owner", "Owner", "/");
  reader = await userWith("reader", "Reader", "/registries/binreg");
  pusher = await userWith("pusher", "AcrPush", "/registries/binreg/repositories/app");
  repo = await ensureRepository(splitName("binreg/app", null));
});

describe("soft delete policy", () => {
  test("off by default; changing it needs changePolicies; days 1-90; recorded with before and after", async () => {
    assert.deepEqual(await showSoftDelete(reader, { registry: "binreg" }), { registry: "binreg", status: "disabled", days: 7, deletedManifests: 0, deletedBytes: 0 });
    await assert.rejects(updateSoftDelete(reader, { registry: "binreg", status: "enabled" }), code("DENIED"));
    await assert.rejects(updateSoftDelete(owner, { registry: "binreg", days: 0 }), code("INVALID", "days"));
    await assert.rejects(updateSoftDelete(owner, { registry: "binreg", days: 91 }), code("INVALID", "days"));
    await assert.rejects(updateSoftDelete(owner, { registry: "binreg", status: "on" }), code("INVALID", "status"));
    await assert.rejects(updateSoftDelete(owner, { registry: "binreg" }), code("INVALID"));
    assert.equal((await db().registry.findUniqueOrThrow({ where: { name: "binreg" } })).softDeleteEnabled, false, "refusals change nothing");
    const p = await updateSoftDelete(owner, { registry: "binreg", status: "Enabled", days: 30 });
    assert.deepEqual([p.status, p.days], ["enabled", 30]);
    const a = await db().activityLog.findFirstOrThrow({ where: { action: "registry.softDelete.update" } });
    assert.deepEqual([a.actor, JSON.parse(a.before!), JSON.parse(a.after!)], ["owner", { status: "disabled", days: 7 }, { status: "enabled", days: 30 }]);
  });
});

describe("recycle bin service", () => {
  test("deleted manifests are listed with their tags; a restore by tag needs push and brings the latest one back", async () => {
    const first = await pushImage(repo, "v1");
    await deleteManifests(owner, { registry: "binreg", repository: "app", digests: [first] });
    const second = await pushImage(repo, "v1");
    await deleteManifests(owner, { registry: "binreg", repository: "app", digests: [second] });
    const page = await listDeleted(reader, { registry: "binreg", repository: "app" });
    assert.deepEqual(page.items.map((i) => [i.digest, i.tags, i.deletedBy]), [[second, ["v1"], "owner"], [first, ["v1"], "owner"]]);
    assert.equal(page.total, 2);
    const entry = await db().recycledManifest.findFirstOrThrow({ where: { digest: second } });
    assert.equal(entry.expiresAt.getTime() - entry.deletedAt.getTime(), 30 * 86_400_000, "kept for the registry's days");

    await assert.rejects(restore(reader, { registry: "binreg", repository: "app", tag: "v1" }), code("DENIED"));
    const r = await restore(pusher, { registry: "binreg", repository: "app", tag: "v1" });
    assert.equal(r.digest, second, "the latest deleted one with that tag");
    assert.ok(r.bytes > 0);
    const a = await db().activityLog.findFirstOrThrow({ where: { action: "manifest.restore" } });
    assert.deepEqual([a.actor, a.target, JSON.parse(a.after!).bytes], ["pusher", `binreg/app@${second}`, r.bytes]);
    // The older one had v1 too, which now points at the restored one: a conflict unless forced.
    await assert.rejects(restore(pusher, { registry: "binreg", repository: "app", digest: first }), code("CONFLICT", "tag"));
    await assert.rejects(restore(pusher, { registry: "binreg", repository: "app", tag: "nope" }), code("NOT_FOUND", "tag"));
  });

  test("Delete now needs deleteImage, touches only this registry's entries, and records the bytes", async () => {
    const d = await pushImage(repo, "gone");
    await deleteManifests(owner, { registry: "binreg", repository: "app", digests: [d] });
    const entry = await db().recycledManifest.findFirstOrThrow({ where: { digest: d } });
    await assert.rejects(deleteNow(pusher, { registry: "binreg", ids: [entry.id] }), code("DENIED"));
    const wrong = await deleteNow(owner, { registry: "otherreg", ids: [entry.id] });
    assert.deepEqual(wrong.map((x) => x.deleted), [false]);
    assert.equal(await db().recycledManifest.count({ where: { id: entry.id } }), 1, "another registry's entry is untouched");
    const [res] = await deleteNow(owner, { registry: "binreg", ids: [entry.id] });
    assert.deepEqual([res.deleted, res.digest, res.bytes > 0], [true, d, true]);
    const a = await db().activityLog.findFirstOrThrow({ where: { action: "recycleBin.delete" } });
    assert.deepEqual([a.actor, JSON.parse(a.before!).bytes], ["owner", res.bytes]);
    assert.equal(await db().blobReview.count({ where: { digest: d } }), 1);
  });

  test("a garbage-collection run expires what is due and records it", async () => {
    const d = await pushImage(repo, "old");
    await deleteManifests(owner, { registry: "binreg", repository: "app", digests: [d] });
    await db().recycledManifest.updateMany({ where: { digest: d }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const report = await runLifecycle({ registryId: repo.registryId, graceMs: 0, actor: "tester" });
    assert.deepEqual(report.steps.recycleBin.map((s) => [s.repository, s.digest, s.tags]), [["app", d, ["old"]]]);
    assert.equal(await db().recycledManifest.count({ where: { digest: d } }), 0);
    assert.ok(report.items.some((i) => i.kind === "blob" && i.digest === d), "its bytes were collected in the same run");
    const a = await db().activityLog.findFirstOrThrow({ where: { action: "recycleBin.expire" } });
    assert.deepEqual(JSON.parse(a.before!).manifests, [`app@${d}`]);
  });
});
