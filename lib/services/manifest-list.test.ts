import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import type { Principal } from "../auth/principal";
import { manifestService } from "../registry/manifest-service";
import { blobDataPath } from "../registry/paths";
import { storage } from "../registry/storage";
import type { Repo } from "../registry/repository-resolver";
import { createUser } from "./users";
import { listManifestPage, listManifests } from "./manifest-list";
import { deleteTag } from "./tags";

/** The manifest list on real pushes through the engine; times are set on the rows so the order is known. */

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const sha = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;
const OCI_IMAGE = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const T0 = Date.parse("2026-01-01T00:00:00Z");

let reader: Principal;
let nobody: Principal;
let app: Repo;
const digests: Record<string, string> = {};
const sizes: Record<string, bigint> = {};

async function blob(r: Repo, bytes: Buffer) {
  const digest = sha(bytes);
  await storage().putContent(blobDataPath(digest), bytes);
  await db().blob.upsert({ where: { digest }, create: { digest, size: BigInt(bytes.length) }, update: {} });
  await db().blobLink.upsert({ where: { repositoryId_digest: { repositoryId: r.id, digest } }, create: { repositoryId: r.id, digest }, update: {} });
  return { digest, size: bytes.length };
}

async function put(r: Repo, ref: string, doc: object, mediaType: string, minute: number): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(doc));
  const { digest } = await manifestService.put(r, ref, bytes, mediaType);
  await db().manifest.update({ where: { repositoryId_digest: { repositoryId: r.id, digest } }, data: { updatedAt: new Date(T0 + minute * 60_000) } });
  return { digest, size: bytes.length };
}

async function image(r: Repo, ref: string, arch: string, minute: number, extra: object = {}) {
  const layer = await blob(r, crypto.randomBytes(200));
  const config = await blob(r, Buffer.from(JSON.stringify({ os: "linux", architecture: arch, rootfs: { type: "layers", diff_ids: [] }, n: crypto.randomUUID() })));
  const doc = {
    schemaVersion: 2,
    mediaType: OCI_IMAGE,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
    ...extra,
  };
  const m = await put(r, ref, doc, OCI_IMAGE, minute);
  return { ...m, total: BigInt(m.size + layer.size + config.size) };
}

before(async () => {
  await useTempDatabase();
  const reg = await db().registry.create({ data: { name: "contoso" } });
  const mk = async (u: string) => ({ kind: "user" as const, id: (await createUser(u, `${u}-password`)).id, name: u });
  reader = await mk("reader");
  nobody = await mk("nobody");
  await db().roleAssignment.create({ data: { principalType: "user", principalId: reader.kind === "user" ? reader.id : "", role: "Reader", scope: "/registries/contoso" } });
  const r = await db().repository.create({ data: { registryId: reg.id, name: "app" } });
  app = { id: r.id, registryId: reg.id, registry: "contoso", name: "app", fullName: "contoso/app" };

  // minute 1: v1 (later untagged); 2: an arm64 image pushed by digest only; 3: amd64 by digest;
  // 4: an index of both, tagged multi; 5: a signature (referrer) of v1, by digest; 6: v2 and also "stable".
  const v1 = await image(app, "v1", "amd64", 1);
  const arm = await image(app, "arm-tmp", "arm64", 2);
  const amd = await image(app, "amd-tmp", "amd64", 3);
  const index = await put(
    app,
    "multi",
    {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_IMAGE, digest: amd.digest, size: amd.size, platform: { os: "linux", architecture: "amd64" } },
        { mediaType: OCI_IMAGE, digest: arm.digest, size: arm.size, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
      ],
    },
    OCI_INDEX,
    4,
  );
  const sig = await image(app, "sig-tmp", "amd64", 5, { subject: { mediaType: OCI_IMAGE, digest: v1.digest, size: v1.size }, artifactType: "application/vnd.example.signature" });
  const v2 = await image(app, "v2", "amd64", 6);
  await manifestService.put(app, "stable", await manifestService.bytes(await manifestService.resolve(app, "v2")), OCI_IMAGE);
  await db().manifest.update({ where: { repositoryId_digest: { repositoryId: app.id, digest: v2.digest } }, data: { updatedAt: new Date(T0 + 6 * 60_000) } });
  const system = { kind: "system" as const, name: "test" };
  for (const t of ["arm-tmp", "amd-tmp", "sig-tmp", "v1"]) await deleteTag(system, { registry: "contoso", repository: "app", tag: t });
  Object.assign(digests, { v1: v1.digest, arm: arm.digest, amd: amd.digest, index: index.digest, sig: sig.digest, v2: v2.digest });
  Object.assign(sizes, { v1: v1.total, arm: arm.total, amd: amd.total, index: BigInt(index.size) + arm.total + amd.total, v2: v2.total });
});

describe("manifest list", () => {
  test("lists tagged and untagged manifests newest first; an untagged one has tags []", async () => {
    const all = await listManifests(reader, { registry: "contoso", repository: "app" });
    assert.deepEqual(all.map((m) => m.digest), ["v2", "sig", "index", "amd", "arm", "v1"].map((k) => digests[k]));
    const by = new Map(all.map((m) => [m.digest, m]));
    assert.deepEqual(by.get(digests.v2)?.tags, ["stable", "v2"]);
    assert.deepEqual(by.get(digests.v1)?.tags, []);
    assert.deepEqual(by.get(digests.index)?.tags, ["multi"]);
    assert.equal(by.get(digests.v1)?.lastPulledAt, null);
    assert.equal(by.get(digests.v1)?.locks.deleteEnabled, true);
  });

  test("oldest first with time_asc", async () => {
    const all = await listManifests(reader, { registry: "contoso", repository: "app", orderby: "time_asc" });
    assert.deepEqual(all.map((m) => m.digest), ["v1", "arm", "amd", "index", "sig", "v2"].map((k) => digests[k]));
  });

  test("sizes count what each manifest references; an index counts its images; platforms come from the index or the config", async () => {
    const by = new Map((await listManifests(reader, { registry: "contoso", repository: "app" })).map((m) => [m.digest, m]));
    for (const k of ["v1", "arm", "amd", "index", "v2"]) assert.equal(by.get(digests[k])?.size, sizes[k], k);
    assert.deepEqual(by.get(digests.index)?.platforms, ["linux/amd64", "linux/arm64/v8"]);
    assert.deepEqual(by.get(digests.arm)?.platforms, ["linux/arm64/v8"], "the index's platform for its image");
    assert.deepEqual(by.get(digests.v1)?.platforms, ["linux/amd64"], "from the image's config");
    assert.equal(by.get(digests.arm)?.referencedByIndex, true);
    assert.equal(by.get(digests.v1)?.referencedByIndex, false);
    assert.equal(by.get(digests.sig)?.subjectDigest, digests.v1);
    assert.equal(by.get(digests.sig)?.artifactType, "application/vnd.example.signature");
    assert.equal(by.get(digests.v2)?.subjectDigest, null);
  });

  test("pages by cursor without gaps or repeats, in both orders, and filters tagged and untagged", async () => {
    for (const orderby of ["time_desc", "time_asc"] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await listManifestPage(reader, { registry: "contoso", repository: "app", orderby, limit: 4, cursor });
        assert.equal(page.total, 6);
        seen.push(...page.items.map((m) => m.digest));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 2);
      assert.deepEqual(seen, (await listManifests(reader, { registry: "contoso", repository: "app", orderby })).map((m) => m.digest));
    }
    // Equal times page by digest: put three manifests on one instant.
    const tied = new Date(T0 + 3 * 60_000);
    await db().manifest.updateMany({ where: { repositoryId: app.id, digest: { in: [digests.arm, digests.amd, digests.index] } }, data: { updatedAt: tied } });
    const firstPage = await listManifestPage(reader, { registry: "contoso", repository: "app", limit: 3 });
    const rest = await listManifestPage(reader, { registry: "contoso", repository: "app", limit: 3, cursor: firstPage.nextCursor });
    assert.equal(new Set([...firstPage.items, ...rest.items].map((m) => m.digest)).size, 6);

    const untagged = await listManifestPage(reader, { registry: "contoso", repository: "app", filter: "untagged" });
    assert.deepEqual(new Set(untagged.items.map((m) => m.digest)), new Set(["v1", "arm", "amd", "sig"].map((k) => digests[k])));
    assert.equal(untagged.total, 4);
    const tagged = await listManifestPage(reader, { registry: "contoso", repository: "app", filter: "tagged" });
    assert.deepEqual(tagged.items.map((m) => m.digest), [digests.v2, digests.index]);
    assert.deepEqual((await listManifests(reader, { registry: "contoso", repository: "app", top: 2 })).map((m) => m.digest), [digests.v2, digests.sig]);
  });

  test("refuses callers without read, and bad order, filter or cursor with a clear error", async () => {
    await assert.rejects(listManifestPage(nobody, { registry: "contoso", repository: "app" }), code("DENIED"));
    await assert.rejects(listManifestPage(reader, { registry: "contoso", repository: "nope" }), code("NOT_FOUND"));
    await assert.rejects(listManifestPage(reader, { registry: "contoso", repository: "app", orderby: "name" as never }), /time_desc/);
    await assert.rejects(listManifestPage(reader, { registry: "contoso", repository: "app", filter: "some" as never }), /tagged/);
    await assert.rejects(listManifestPage(reader, { registry: "contoso", repository: "app", cursor: "garbage" }), /first page/);
  });
});
