import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { splitName } from "../core/names";
import { collectGarbage } from "./gc";
import { deleteManifest } from "./manifest-delete";
import { manifestService } from "./manifest-service";
import { blobDataPath } from "./paths";
import { expireEntries, purgeEntry, restoreManifest } from "./recycle-bin";
import { ensureRepository, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { uploadSessions } from "./upload-session";

/** The recycle bin against a real SQLite file and filesystem: delete into the bin, restore, purge, expire. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const code = (c: string, field?: string) => (err: unknown) => err instanceof WharfError && err.code === c && (field === undefined || err.field === field);
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

let dataDir: string;
let n = 0;

async function pushBlob(repo: Repo, data: Buffer): Promise<{ digest: string; size: number }> {
  const s = await uploadSessions.start(repo);
  return uploadSessions.finish(repo, s.id, sha(data), Readable.from([data]));
}

/** An image with its own layer and config (unshared unless `layer` is given); returns its digest and blobs. */
async function pushImage(repo: Repo, tag: string | null, layer = Buffer.from(`layer ${++n} ${crypto.randomUUID()}`)) {
  const cfg = Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", n: ++n }));
  const l = await pushBlob(repo, layer);
  const c = await pushBlob(repo, cfg);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...c },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...l }],
    }),
  );
  const digest = sha(bytes);
  await manifestService.put(repo, tag ?? digest, bytes, OCI_MANIFEST);
  return { digest, bytes, blobs: [l.digest, c.digest] };
}

async function pushIndex(repo: Repo, tag: string, children: { digest: string; bytes: Buffer }[]) {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: children.map((c, i) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.bytes.length, platform: { os: "linux", architecture: ["amd64", "arm64"][i] } })),
    }),
  );
  await manifestService.put(repo, tag, bytes, "application/vnd.oci.image.index.v1+json");
  return { digest: sha(bytes), bytes };
}

async function newRepo(name: string): Promise<Repo> {
  return ensureRepository(splitName(`contoso/${name}`, null));
}

const inBin = (repo: Repo, digest: string) => db().recycledManifest.count({ where: { repositoryId: repo.id, digest } });
const tagTarget = async (repo: Repo, name: string) =>
  (await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name } }, select: { manifest: { select: { digest: true } } } }))?.manifest.digest;

describe("recycle bin", () => {
  before(async () => {
    dataDir = await useTempDatabase();
    await db().registry.create({ data: { name: "contoso", softDeleteEnabled: true, softDeleteDays: 7 } });
  });
  after(async () => {
    await db().$disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("restores a deleted image with its tags, references and creation time, and garbage collection leaves it alone meanwhile", async () => {
    const repo = await newRepo("app");
    const img = await pushImage(repo, "v1");
    await manifestService.put(repo, "latest", img.bytes, OCI_MANIFEST);
    const before = await db().manifest.findUniqueOrThrow({ where: { repositoryId_digest: { repositoryId: repo.id, digest: img.digest } }, include: { references: true } });
    const removed = await deleteManifest(repo, img.digest, { actor: "alice" });
    assert.deepEqual(removed.map((m) => [m.digest, m.recycled]), [[img.digest, true]]);
    assert.equal(await inBin(repo, img.digest), 1);
    await assert.rejects(manifestService.resolve(repo, "v1"), code("MANIFEST_UNKNOWN"));

    // Nothing held only by the bin is collected.
    await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    for (const d of [...img.blobs, img.digest]) assert.ok(await storage().stat(blobDataPath(d)), `bytes of ${d} kept`);

    const restored = await restoreManifest(repo, img.digest);
    assert.deepEqual(restored.map((m) => [m.digest, m.tags.sort(), m.movedTags]), [[img.digest, ["latest", "v1"], []]]);
    const after = await db().manifest.findUniqueOrThrow({ where: { repositoryId_digest: { repositoryId: repo.id, digest: img.digest } }, include: { references: true } });
    assert.equal(after.createdAt.getTime(), before.createdAt.getTime());
    assert.deepEqual([after.mediaType, after.size, after.configDigest, after.contentSize], [before.mediaType, before.size, before.configDigest, before.contentSize]);
    const refs = (r: typeof before) => r.references.map((x) => `${x.kind} ${x.digest} ${x.size}`).sort();
    assert.deepEqual(refs(after), refs(before));
    assert.equal(await tagTarget(repo, "v1"), img.digest);
    assert.equal(await tagTarget(repo, "latest"), img.digest);
    assert.equal(await inBin(repo, img.digest), 0);
    assert.ok((await manifestService.bytes(await manifestService.resolve(repo, "v1"))).equals(img.bytes));
    await assert.rejects(restoreManifest(repo, img.digest), code("NOT_FOUND", "digest"));
  });

  it("restores an index deleted with its platform manifests whole, children first", async () => {
    const repo = await newRepo("multi");
    const amd = await pushImage(repo, null);
    const arm = await pushImage(repo, null);
    const idx = await pushIndex(repo, "v1", [amd, arm]);
    const removed = await deleteManifest(repo, idx.digest, { actor: "alice" });
    assert.deepEqual(removed.map((m) => m.digest).sort(), [idx.digest, amd.digest, arm.digest].sort());
    assert.equal(await db().manifest.count({ where: { repositoryId: repo.id } }), 0);

    const restored = await restoreManifest(repo, idx.digest);
    assert.equal(restored[restored.length - 1].digest, idx.digest, "the index comes back after its children");
    assert.deepEqual(restored.map((m) => m.digest).sort(), [idx.digest, amd.digest, arm.digest].sort());
    assert.equal(await db().manifest.count({ where: { repositoryId: repo.id } }), 3);
    assert.equal(await db().recycledManifest.count({ where: { repositoryId: repo.id } }), 0);
    assert.equal(await tagTarget(repo, "v1"), idx.digest);
  });

  it("refuses to restore over a tag that moved (CONFLICT naming it, nothing changed); force moves it back", async () => {
    const repo = await newRepo("conflict");
    const a = await pushImage(repo, "v1");
    await manifestService.put(repo, "stable", a.bytes, OCI_MANIFEST);
    await deleteManifest(repo, a.digest, { actor: "alice" });
    const b = await pushImage(repo, "v1");

    await assert.rejects(restoreManifest(repo, a.digest), (err: unknown) => code("CONFLICT", "tag")(err) && /Tag 'v1'/.test((err as Error).message) && (err as Error).message.includes(b.digest));
    assert.equal(await inBin(repo, a.digest), 1, "the entry stays");
    assert.equal(await db().manifest.count({ where: { repositoryId: repo.id, digest: a.digest } }), 0, "no half restore");
    assert.equal(await tagTarget(repo, "stable"), undefined, "no tag restored either");
    assert.equal(await tagTarget(repo, "v1"), b.digest);

    const restored = await restoreManifest(repo, a.digest, { force: true });
    assert.deepEqual(restored[0].movedTags, ["v1"]);
    assert.equal(await tagTarget(repo, "v1"), a.digest);
    assert.equal(await tagTarget(repo, "stable"), a.digest);
    assert.equal(await db().manifest.count({ where: { repositoryId: repo.id, digest: b.digest } }), 1, "the other manifest stays, untagged");
  });

  it("force never moves a locked or write-once tag", async () => {
    const repo = await newRepo("locked");
    const a = await pushImage(repo, "v1");
    await deleteManifest(repo, a.digest, { actor: "alice" });
    await pushImage(repo, "v1");
    await db().tag.update({ where: { repositoryId_name: { repositoryId: repo.id, name: "v1" } }, data: { writeEnabled: false } });
    await assert.rejects(restoreManifest(repo, a.digest, { force: true }), (err: unknown) => code("DENIED")(err) && /Tag 'v1'.*locked/.test((err as Error).message));
    await db().tag.update({ where: { repositoryId_name: { repositoryId: repo.id, name: "v1" } }, data: { writeEnabled: true } });
    const rule = await db().tagRule.create({ data: { registryId: repo.registryId, repositoryPattern: "locked", tagPattern: "v*" } });
    await assert.rejects(restoreManifest(repo, a.digest, { force: true }), (err: unknown) => code("DENIED")(err) && /write-once/.test((err as Error).message));
    await db().tagRule.delete({ where: { id: rule.id } });
    assert.equal(await inBin(repo, a.digest), 1);
  });

  it("respects a repository write lock", async () => {
    const repo = await newRepo("frozen");
    const a = await pushImage(repo, "v1");
    await deleteManifest(repo, a.digest, { actor: "alice" });
    await db().repository.update({ where: { id: repo.id }, data: { writeEnabled: false } });
    await assert.rejects(restoreManifest(repo, a.digest), (err: unknown) => code("DENIED")(err) && /Repository .* is locked/.test((err as Error).message));
    assert.equal(await inBin(repo, a.digest), 1);
    await db().repository.update({ where: { id: repo.id }, data: { writeEnabled: true } });
    assert.equal((await restoreManifest(repo, a.digest)).length, 1);
  });

  it("a restore by tag needs an entry that had the tag", async () => {
    const repo = await newRepo("bytag");
    const a = await pushImage(repo, "v1");
    await deleteManifest(repo, a.digest, { actor: "alice" });
    await assert.rejects(restoreManifest(repo, a.digest, { tag: "v2" }), code("NOT_FOUND", "tag"));
    assert.deepEqual((await restoreManifest(repo, a.digest, { tag: "v1" }))[0].tags, ["v1"]);
  });

  it("Delete now removes the entry with its platform manifests and queues its blobs for collection", async () => {
    const repo = await newRepo("purge");
    const amd = await pushImage(repo, null);
    const arm = await pushImage(repo, null);
    const idx = await pushIndex(repo, "v1", [amd, arm]);
    await deleteManifest(repo, idx.digest, { actor: "alice" });
    // The pushes queued their links for review: a collection now keeps them (the bin holds them) and empties the queue.
    await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    assert.equal(await db().linkReview.count({ where: { repositoryId: repo.id } }), 0);
    for (const d of amd.blobs) assert.ok(await storage().stat(blobDataPath(d)), `bytes of ${d} kept while in the bin`);
    const entry = await db().recycledManifest.findUniqueOrThrow({ where: { repositoryId_digest: { repositoryId: repo.id, digest: idx.digest } } });
    const purged = await purgeEntry(entry.id);
    assert.deepEqual(purged!.map((p) => p.digest).sort(), [idx.digest, amd.digest, arm.digest].sort());
    assert.equal(await db().recycledManifest.count({ where: { repositoryId: repo.id } }), 0);
    const linkReviews = (await db().linkReview.findMany({ where: { repositoryId: repo.id } })).map((r) => r.digest).sort();
    assert.deepEqual(linkReviews, [...amd.blobs, ...arm.blobs].sort());
    for (const d of [idx.digest, amd.digest, arm.digest]) assert.equal(await db().blobReview.count({ where: { digest: d } }), 1, `blob review for ${d}`);
    assert.equal(await purgeEntry(entry.id), null, "a second Delete now finds nothing");
    await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    for (const d of [idx.digest, ...amd.blobs, amd.digest]) assert.equal(await storage().stat(blobDataPath(d)), null, `bytes of ${d} freed`);
  });

  it("expiry removes only entries past expiresAt (a dry run lists them), then garbage collection frees what was unshared", async () => {
    const repo = await newRepo("expiry");
    const shared = Buffer.from(`shared layer ${crypto.randomUUID()}`);
    const old = await pushImage(repo, "old", shared);
    const keep = await pushImage(repo, "keep", shared);
    const fresh = await pushImage(repo, "fresh");
    await deleteManifest(repo, old.digest, { actor: "alice" });
    await deleteManifest(repo, fresh.digest, { actor: "alice" });
    const now = new Date();
    await db().recycledManifest.update({ where: { repositoryId_digest: { repositoryId: repo.id, digest: old.digest } }, data: { expiresAt: new Date(now.getTime() - 1000) } });
    await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    assert.equal(await db().linkReview.count({ where: { repositoryId: repo.id } }), 0);

    const dry = await expireEntries({ registryId: repo.registryId, now, dryRun: true });
    assert.deepEqual(dry.map((e) => [e.digest, e.repository, e.tags]), [[old.digest, "expiry", ["old"]]]);
    assert.equal(await inBin(repo, old.digest), 1, "a dry run deletes nothing");

    const done = await expireEntries({ registryId: repo.registryId, now, dryRun: false });
    assert.deepEqual(done.map((e) => e.digest), [old.digest]);
    assert.equal(await inBin(repo, old.digest), 0);
    assert.equal(await inBin(repo, fresh.digest), 1, "an entry not yet expired stays");
    assert.equal(await db().blobReview.count({ where: { digest: old.digest } }), 1);

    await collectGarbage({ graceMs: 0, uploadMaxIdleMs: 86_400_000 });
    assert.equal(await storage().stat(blobDataPath(old.digest)), null, "manifest bytes freed");
    assert.equal(await storage().stat(blobDataPath(old.blobs[1])), null, "its own config freed");
    assert.ok(await storage().stat(blobDataPath(sha(shared))), "the layer another manifest uses stays");
    for (const d of [...fresh.blobs, fresh.digest, ...keep.blobs]) assert.ok(await storage().stat(blobDataPath(d)), `bytes of ${d} kept`);
    assert.equal(await db().blobLink.count({ where: { repositoryId: repo.id, digest: old.blobs[1] } }), 0, "its config link went");
  });

  it("entries of a deleted repository go with it", async () => {
    const repo = await newRepo("gone");
    const a = await pushImage(repo, "v1");
    await deleteManifest(repo, a.digest, { actor: "alice" });
    await db().repository.delete({ where: { id: repo.id } });
    assert.equal(await db().recycledManifest.count({ where: { digest: a.digest } }), 0);
    await assert.rejects(restoreManifest(repo, a.digest), code("NOT_FOUND", "repository"));
  });
});
