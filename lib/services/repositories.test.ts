import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { createUser } from "./users";
import { WharfError } from "../core/errors";
import type { Principal } from "../auth/principal";
import { LOCAL_OPERATOR } from "../auth/actor";
import { manifestService } from "../registry/manifest-service";
import { blob, engineRepo } from "../../test/helpers/engine-images";
import type { Repo } from "../registry/repository-resolver";
import { setLocks } from "./locks";
import { findRegistryForRepositoryViewer } from "./repository-access";
import { getRepository, listRepositoryPage, suggestRepositories } from "./repositories";
import { deleteTag, listTagPage } from "./tags";
import { listManifestPage } from "./manifest-list";
import { deleteManifest, getManifestDetail } from "./manifests";

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const sha = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;
let owner: Principal;
let reader: Principal;
let puller: Principal; // AcrPull on contoso/app only
let nobody: Principal;
let registryId: string;

const repo = (name: string): Promise<Repo> => engineRepo(registryId, "contoso", name);

async function image(r: Repo, tag: string, arch = "amd64", extra: object = {}) {
  const layer = await blob(r, crypto.randomBytes(300));
  const config = await blob(
    r,
    Buffer.from(JSON.stringify({ os: "linux", architecture: arch, created: "2026-01-02T03:04:05Z", config: { Entrypoint: ["/app"], Env: ["A=1"], Labels: { team: "core" } }, rootfs: { type: "layers", diff_ids: [] } })),
  );
  const doc = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
    ...extra,
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  const out = await manifestService.put(r, tag, bytes, doc.mediaType);
  return { digest: out.digest, size: bytes.length };
}

before(async () => {
  await useTempDatabase();
  registryId = (await db().registry.create({ data: { name: "contoso" } })).id;
  const mk = async (n: string) => ({ kind: "user" as const, id: (await createUser(n, `${n}-password`)).id, name: n });
  owner = await mk("owner");
  reader = await mk("reader");
  puller = await mk("puller");
  nobody = await mk("nobody");
  await db().roleAssignment.createMany({
    data: [
      { principalType: "user", principalId: owner.kind === "user" ? owner.id : "", role: "Owner", scope: "/" },
      { principalType: "user", principalId: reader.kind === "user" ? reader.id : "", role: "Reader", scope: "/registries/contoso" },
      { principalType: "user", principalId: puller.kind === "user" ? puller.id : "", role: "AcrPull", scope: "/registries/contoso/repositories/app" },
    ],
  });
  const app = await repo("app");
  await image(app, "v1");
  await image(app, "v2");
  for (let i = 0; i < 25; i++) await repo(`bulk/r${String(i).padStart(2, "0")}`);
});

describe("repository list", () => {
  test("pages by name with a cursor, counts tags and manifests in a fixed number of queries, and searches", async () => {
    const first = await listRepositoryPage(reader, { registry: "contoso", limit: 10 });
    assert.equal(first.total, 26);
    assert.equal(first.items.length, 10);
    assert.equal(first.items[0].name, "app");
    assert.equal(first.items[0].tagCount, 2);
    assert.equal(first.items[0].manifestCount, 2);
    assert.ok(first.items[0].size > BigInt(600));
    const second = await listRepositoryPage(reader, { registry: "contoso", limit: 10, cursor: first.nextCursor });
    assert.equal(second.items[0].name, "bulk/r09");
    const third = await listRepositoryPage(reader, { registry: "contoso", limit: 10, cursor: second.nextCursor });
    assert.equal(third.items.length, 6);
    assert.equal(third.nextCursor, null);
    const found = await listRepositoryPage(reader, { registry: "contoso", search: "R1" });
    assert.deepEqual(found.items.map((r) => r.name), Array.from({ length: 10 }, (_, i) => `bulk/r1${i}`));
  });

  test("someone with AcrPull on one repository sees only that one; someone without a role is refused", async () => {
    const page = await listRepositoryPage(puller, { registry: "contoso" });
    assert.deepEqual(page.items.map((r) => r.name), ["app"]);
    assert.equal(page.total, 1);
    assert.deepEqual(await suggestRepositories(puller, { registry: "contoso", prefix: "bu" }), []);
    assert.ok(await findRegistryForRepositoryViewer(puller, "contoso"));
    assert.equal(await findRegistryForRepositoryViewer(nobody, "contoso"), null);
    await assert.rejects(listRepositoryPage(nobody, { registry: "contoso" }), code("DENIED"));
    await assert.rejects(getRepository(puller, { registry: "contoso", repository: "bulk/r01" }), code("DENIED"));
  });

  test("malformed input is refused with a field", async () => {
    await assert.rejects(listRepositoryPage(owner, { registry: "Not A Registry" }), (e) => code("INVALID")(e) && (e as WharfError).field === "registry");
    await assert.rejects(listRepositoryPage(owner, { registry: "contoso", cursor: "%%%" }), (e) => code("INVALID")(e) && (e as WharfError).field === "cursor");
    await assert.rejects(listRepositoryPage(owner, { registry: "contoso", limit: 5000 }), code("INVALID"));
    await assert.rejects(listRepositoryPage(owner, { registry: "nosuchreg" }), code("NOT_FOUND"));
    await assert.rejects(listTagPage(owner, { registry: "contoso", repository: "UPPER" }), code("INVALID"));
    await assert.rejects(listTagPage(owner, { registry: "contoso", repository: "app", sort: "size" as never }), code("INVALID"));
  });
});

describe("tags and manifests", () => {
  test("tags newest first with keyset pages, by name, filtered; an index lists its platforms", async () => {
    const r = await repo("multi");
    const amd = await image(r, "amd", "amd64");
    const arm = await image(r, "arm", "arm64");
    for (let i = 0; i < 5; i++) await image(r, `t${i}`);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        { mediaType: "application/vnd.oci.image.manifest.v1+json", ...amd, platform: { os: "linux", architecture: "amd64" } },
        { mediaType: "application/vnd.oci.image.manifest.v1+json", ...arm, platform: { os: "linux", architecture: "arm64" } },
      ],
    }));
    await manifestService.put(r, "latest", index, "application/vnd.oci.image.index.v1+json");
    const p1 = await listTagPage(owner, { registry: "contoso", repository: "multi", limit: 3 });
    assert.equal(p1.total, 8);
    assert.equal(p1.items[0].name, "latest");
    assert.deepEqual(p1.items[0].platforms, ["linux/amd64", "linux/arm64"]);
    assert.ok(p1.items[0].size > BigInt(amd.size + arm.size));
    const seen = [...p1.items.map((t) => t.name)];
    let cursor = p1.nextCursor;
    while (cursor) {
      const p = await listTagPage(owner, { registry: "contoso", repository: "multi", limit: 3, cursor });
      seen.push(...p.items.map((t) => t.name));
      cursor = p.nextCursor;
    }
    assert.equal(new Set(seen).size, 8, "every tag exactly once across pages");
    const byName = await listTagPage(owner, { registry: "contoso", repository: "multi", sort: "name" });
    assert.deepEqual(byName.items.map((t) => t.name), ["amd", "arm", "latest", "t0", "t1", "t2", "t3", "t4"]);
    const desc = await listTagPage(owner, { registry: "contoso", repository: "multi", sort: "name", direction: "desc", limit: 2 });
    const desc2 = await listTagPage(owner, { registry: "contoso", repository: "multi", sort: "name", direction: "desc", limit: 2, cursor: desc.nextCursor });
    assert.deepEqual([...desc.items, ...desc2.items].map((t) => t.name), ["t4", "t3", "t2", "t1"]);
    const filtered = await listTagPage(owner, { registry: "contoso", repository: "multi", filter: "ar" });
    assert.deepEqual(filtered.items.map((t) => t.name), ["arm"]);

    const detail = await getManifestDetail(owner, { registry: "contoso", repository: "multi", reference: "latest" });
    assert.equal(detail.kind, "index");
    assert.deepEqual(detail.manifests.map((m) => [m.platformText, m.present]), [["linux/amd64", true], ["linux/arm64", true]]);
  });

  test("a single-platform tag shows its platform from the image config, as the manifest page does", async () => {
    const r = await repo("single");
    await image(r, "v1", "arm64");
    await image(r, "v2", "amd64");
    const page = await listTagPage(owner, { registry: "contoso", repository: "single", sort: "name" });
    assert.deepEqual(page.items.map((t) => [t.name, t.platforms]), [["v1", ["linux/arm64"]], ["v2", ["linux/amd64"]]]);
  });

  test("a manifest page: layers, config summary, tags, referrers by artifact type, raw JSON", async () => {
    const r = await repo("app");
    const subject = await getManifestDetail(puller, { registry: "contoso", repository: "app", reference: "v1" });
    assert.equal(subject.kind, "image");
    assert.equal(subject.layers.length, 1);
    assert.deepEqual(subject.config?.summary?.entrypoint, ["/app"]);
    assert.deepEqual(subject.config?.summary?.labels, { team: "core" });
    assert.equal(subject.config?.summary?.architecture, "amd64");
    const empty = await blob(r, Buffer.from("{}"));
    const sbom = await blob(r, Buffer.from('{"spdxVersion":"SPDX-2.3"}'));
    const ref = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType: "application/spdx+json",
      config: { mediaType: "application/vnd.oci.empty.v1+json", ...empty },
      layers: [{ mediaType: "application/spdx+json", ...sbom }],
      subject: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: subject.digest, size: subject.size },
    }));
    await manifestService.put(r, sha(ref), ref, "application/vnd.oci.image.manifest.v1+json");
    const again = await getManifestDetail(owner, { registry: "contoso", repository: "app", reference: subject.digest });
    assert.deepEqual(again.referrers.map((x) => x.artifactType), ["application/spdx+json"]);
    assert.deepEqual(again.tags.map((t) => t.name).includes("v1"), true);
    assert.equal(JSON.parse(again.raw).layers.length, 1);
    const artifact = await getManifestDetail(owner, { registry: "contoso", repository: "app", reference: sha(ref) });
    assert.equal(artifact.kind, "artifact");
    assert.equal(artifact.subject?.digest, subject.digest);
    await assert.rejects(getManifestDetail(owner, { registry: "contoso", repository: "app", reference: "nope" }), code("NOT_FOUND"));
    await assert.rejects(getManifestDetail(owner, { registry: "contoso", repository: "app", reference: "bad tag!" }), code("INVALID"));
  });
});

describe("deleting", () => {
  test("needs AcrDelete-level rights; a pull-only user and a Reader are refused", async () => {
    await assert.rejects(deleteTag(puller, { registry: "contoso", repository: "app", tag: "v2" }), code("DENIED"));
    await assert.rejects(deleteTag(reader, { registry: "contoso", repository: "app", tag: "v2" }), code("DENIED"));
    await assert.rejects(deleteTag(owner, { registry: "contoso", repository: "app", tag: "bad tag" }), code("INVALID"));
    await assert.rejects(deleteManifest(owner, { registry: "contoso", repository: "app", digest: "sha256:short" }), code("INVALID"));
  });

  test("lists say why a locked or write-once tag, and a manifest carrying one, cannot be deleted", async () => {
    const r = await repo("locked");
    const locked = await image(r, "pinned");
    const free = await image(r, "free");
    await image(r, "release-1");
    await db().tagRule.create({ data: { registryId, repositoryPattern: "locked", tagPattern: "release-*" } });
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked", tag: "pinned" }, { deleteEnabled: false });
    const tags = await listTagPage(owner, { registry: "contoso", repository: "locked", sort: "name" });
    const why = Object.fromEntries(tags.items.map((t) => [t.name, t.deleteBlocked]));
    assert.equal(why.free, null);
    assert.match(why.pinned ?? "", /Tag 'pinned' is delete-locked \(deleteEnabled=false\): unlock it under Locks/);
    assert.match(why["release-1"] ?? "", /write-once \(rule: repositories 'locked', tags 'release-\*'\)/);
    const manifests = await listManifestPage(owner, { registry: "contoso", repository: "locked" });
    const byDigest = Object.fromEntries(manifests.items.map((m) => [m.digest, m.deleteBlocked]));
    assert.equal(byDigest[free.digest], null);
    assert.match(byDigest[locked.digest] ?? "", /Tag 'pinned' is delete-locked.*Deleting the manifest would delete its tags/);
    // What the lists promise is what deleting does.
    await assert.rejects(deleteTag(owner, { registry: "contoso", repository: "locked", tag: "pinned" }), code("DENIED"));
    await assert.rejects(deleteTag(owner, { registry: "contoso", repository: "locked", tag: "release-1" }), code("DENIED"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { writeEnabled: false });
    const all = await listTagPage(owner, { registry: "contoso", repository: "locked" });
    for (const t of all.items) assert.match(t.deleteBlocked ?? "", /The repository is write-locked/, t.name);
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "locked" }, { writeEnabled: true });
  });

  test("a tag goes, the manifest stays; a locked tag is refused with DENIED naming the lock; a manifest takes its tags", async () => {
    const r = await repo("del");
    const m = await image(r, "keep");
    await image(r, "gone");
    await deleteTag(owner, { registry: "contoso", repository: "del", tag: "gone" });
    await assert.rejects(deleteTag(owner, { registry: "contoso", repository: "del", tag: "gone" }), code("MANIFEST_UNKNOWN"));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "del", tag: "keep" }, { deleteEnabled: false });
    await assert.rejects(deleteTag(owner, { registry: "contoso", repository: "del", tag: "keep" }), (e) => code("DENIED")(e) && /locked/.test((e as Error).message));
    await setLocks(LOCAL_OPERATOR, { registry: "contoso", repository: "del", tag: "keep" }, { deleteEnabled: true });
    const out = await deleteManifest(owner, { registry: "contoso", repository: "del", digest: m.digest });
    assert.deepEqual(out.tags, ["keep"]);
    assert.equal((await listTagPage(owner, { registry: "contoso", repository: "del" })).total, 0);
  });
});
