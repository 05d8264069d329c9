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
import { getRepository, listRepositoryPage } from "./repositories";
import { registryStorage, repositoryStorage } from "./storage-usage";

/**
 * Storage figures on real pushes through the engine: two repositories share a layer,
 * one layer is used by two manifests of one repository, and one image is pushed
 * byte for byte into a repository of another registry.
 */

const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const sha = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;
const n = (x: number) => BigInt(x);

let reader: Principal;
let puller: Principal; // AcrPull on contoso/a only
let nobody: Principal;

async function repo(registry: string, name: string): Promise<Repo> {
  const reg = await db().registry.upsert({ where: { name: registry }, create: { name: registry }, update: {} });
  const r = await db().repository.upsert({ where: { registryId_name: { registryId: reg.id, name } }, create: { registryId: reg.id, name }, update: {} });
  return { id: r.id, registryId: reg.id, registry, name, fullName: `${registry}/${name}` };
}

/** Stores bytes as a blob linked into the repository, as an upload does; returns its descriptor. */
async function blob(r: Repo, bytes: Buffer) {
  const digest = sha(bytes);
  await storage().putContent(blobDataPath(digest), bytes);
  await db().blob.upsert({ where: { digest }, create: { digest, size: n(bytes.length) }, update: {} });
  await db().blobLink.upsert({ where: { repositoryId_digest: { repositoryId: r.id, digest } }, create: { repositoryId: r.id, digest }, update: {} });
  return { digest, size: bytes.length };
}

/** Pushes an image manifest naming `config` and `layers` (already linked); returns the manifest's size. */
async function image(r: Repo, tag: string, config: { digest: string; size: number }, layers: { digest: string; size: number }[]): Promise<number> {
  const doc = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...l })),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  await manifestService.put(r, tag, bytes, doc.mediaType);
  return bytes.length;
}

const configBytes = (label: string) => Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", label, rootfs: { type: "layers", diff_ids: [] } }));

// Expected figures, computed from what was pushed.
const want: Record<string, { bytes: number; shared: number }> = {};
let contosoDistinct = 0;
let contosoShared = 0;
let contosoOutside = 0;

before(async () => {
  await useTempDatabase();
  const mk = async (u: string) => ({ kind: "user" as const, id: (await createUser(u, `${u}-password`)).id, name: u });
  reader = await mk("reader");
  puller = await mk("puller");
  nobody = await mk("nobody");
  const a = await repo("contoso", "a");
  const b = await repo("contoso", "b");
  const d = await repo("contoso", "d");
  const e = await repo("fabrikam", "e");
  await db().roleAssignment.createMany({
    data: [
      { principalType: "user", principalId: reader.kind === "user" ? reader.id : "", role: "Reader", scope: "/registries/contoso" },
      { principalType: "user", principalId: puller.kind === "user" ? puller.id : "", role: "AcrPull", scope: "/registries/contoso/repositories/a" },
    ],
  });

  // a and b share layer S; a's layer X is used by both of a's manifests.
  const sharedLayer = crypto.randomBytes(1000);
  const onlyA = crypto.randomBytes(3000);
  const S = await blob(a, sharedLayer);
  await blob(b, sharedLayer);
  const X = await blob(a, onlyA);
  const ca1 = await blob(a, configBytes("a1"));
  const ca2 = await blob(a, configBytes("a2"));
  const cb = await blob(b, configBytes("b"));
  const ma1 = await image(a, "v1", ca1, [S, X]);
  const ma2 = await image(a, "v2", ca2, [X]);
  const mb = await image(b, "v1", cb, [S]);
  want.a = { bytes: S.size + X.size + ca1.size + ca2.size + ma1 + ma2, shared: S.size };
  want.b = { bytes: S.size + cb.size + mb, shared: S.size };

  // d (contoso) and e (fabrikam) hold the same image byte for byte: layer, config and manifest all shared.
  const layerD = crypto.randomBytes(700);
  const cfgD = configBytes("d");
  let md = 0;
  for (const r of [d, e]) md = await image(r, "latest", await blob(r, cfgD), [await blob(r, layerD)]);
  want.d = { bytes: layerD.length + cfgD.length + md, shared: layerD.length + cfgD.length + md };

  contosoDistinct = want.a.bytes + want.b.bytes - S.size + want.d.bytes;
  contosoShared = S.size + want.d.bytes;
  contosoOutside = want.d.bytes;
});

describe("storage per repository", () => {
  test("a layer two repositories link is shared; a layer two manifests of one repository use is counted once, as exclusive", async () => {
    for (const name of ["a", "b", "d"]) {
      const s = await repositoryStorage(reader, { registry: "contoso", repository: name });
      assert.deepEqual(s, { bytes: n(want[name].bytes), sharedBytes: n(want[name].shared), exclusiveBytes: n(want[name].bytes - want[name].shared) }, name);
    }
  });

  test("a manifest pushed byte for byte into another registry's repository is shared too", async () => {
    const e = await repositoryStorage({ kind: "system", name: "test" }, { registry: "fabrikam", repository: "e" });
    assert.deepEqual(e, { bytes: n(want.d.bytes), sharedBytes: n(want.d.bytes), exclusiveBytes: n(0) });
  });

  test("the repository list carries the same figures for each row of a page, and a repository holding nothing shows zeros", async () => {
    await repo("contoso", "empty");
    const page = await listRepositoryPage(reader, { registry: "contoso" });
    const by = new Map(page.items.map((r) => [r.name, r]));
    for (const name of ["a", "b", "d"]) {
      assert.equal(by.get(name)?.size, n(want[name].bytes), name);
      assert.equal(by.get(name)?.storage.sharedBytes, n(want[name].shared), name);
      assert.equal(by.get(name)?.storage.exclusiveBytes, n(want[name].bytes - want[name].shared), name);
    }
    assert.deepEqual(by.get("empty")?.storage, { bytes: n(0), sharedBytes: n(0), exclusiveBytes: n(0) });
    const shown = await getRepository(reader, { registry: "contoso", repository: "a" });
    assert.equal(shown.storage.exclusiveBytes, n(want.a.bytes - want.a.shared));
    assert.equal(shown.manifestCount, 2);
    assert.ok(shown.lastUpdateTime.getTime() >= shown.createdTime.getTime());
  });

  test("figures follow a change: once b drops its link to the shared layer, it is a's alone", async () => {
    const b = await repo("contoso", "b");
    const a = await repo("contoso", "a");
    const links = await db().blobLink.findMany({ where: { repositoryId: b.id }, select: { digest: true } });
    const aLinks = new Set((await db().blobLink.findMany({ where: { repositoryId: a.id }, select: { digest: true } })).map((l) => l.digest));
    const shared = links.find((l) => aLinks.has(l.digest))!;
    await db().blobLink.delete({ where: { repositoryId_digest: { repositoryId: b.id, digest: shared.digest } } });
    try {
      const s = await repositoryStorage(reader, { registry: "contoso", repository: "a" });
      assert.deepEqual(s, { bytes: n(want.a.bytes), sharedBytes: n(0), exclusiveBytes: n(want.a.bytes) });
    } finally {
      await db().blobLink.create({ data: { repositoryId: b.id, digest: shared.digest } });
    }
  });
});

describe("stored figures", () => {
  const usageOf = async (name: string) => db().repositoryUsage.findUniqueOrThrow({ where: { repositoryId: (await repo("contoso", name)).id } });
  const figuresOf = (name: string) => repositoryStorage(reader, { registry: "contoso", repository: name });

  test("a view reads the stored figures while they are current, and counts again once their version moves or they age", async () => {
    await figuresOf("a");
    const a = await repo("contoso", "a");
    const u = await usageOf("a");
    assert.equal(u.computedVersion, u.version);
    // Stored figures nobody could count: seen only if the view reads the row instead of recounting.
    await db().repositoryUsage.update({ where: { repositoryId: a.id }, data: { bytes: n(1), sharedBytes: n(0) } });
    assert.deepEqual(await figuresOf("a"), { bytes: n(1), sharedBytes: n(0), exclusiveBytes: n(1) });
    await db().repositoryUsage.update({ where: { repositoryId: a.id }, data: { version: { increment: 1 } } });
    assert.equal((await figuresOf("a")).bytes, n(want.a.bytes));
    await db().repositoryUsage.update({ where: { repositoryId: a.id }, data: { bytes: n(1), computedAt: new Date(Date.now() - 11 * 60_000) } });
    assert.equal((await figuresOf("a")).bytes, n(want.a.bytes), "figures older than ten minutes are counted again");
  });

  test("another repository linking a's exclusive layer makes it shared for a at once, and unlinking makes it a's alone again", async () => {
    const a = await repo("contoso", "a");
    const c = await repo("contoso", "c");
    assert.equal((await figuresOf("a")).sharedBytes, n(want.a.shared));
    const exclusive = await db().blobLink.findFirstOrThrow({ where: { repositoryId: a.id, digest: { notIn: (await db().blobLink.findMany({ where: { repositoryId: { not: a.id } }, select: { digest: true } })).map((l) => l.digest) } }, include: { blob: true } });
    await db().blobLink.create({ data: { repositoryId: c.id, digest: exclusive.digest } });
    assert.equal((await figuresOf("a")).sharedBytes, n(want.a.shared) + exclusive.blob.size, "the trigger moved a's version");
    await db().blobLink.delete({ where: { repositoryId_digest: { repositoryId: c.id, digest: exclusive.digest } } });
    assert.equal((await figuresOf("a")).sharedBytes, n(want.a.shared));
    await db().repository.delete({ where: { id: c.id } });
  });

  test("deleting a repository removes its stored figures and leaves the others' correct", async () => {
    const f = await repo("contoso", "f");
    const layer = await db().blobLink.findFirstOrThrow({ where: { repositoryId: (await repo("contoso", "d")).id } });
    await db().blobLink.create({ data: { repositoryId: f.id, digest: layer.digest } });
    await figuresOf("f");
    await db().repository.delete({ where: { id: f.id } });
    assert.equal(await db().repositoryUsage.count({ where: { repositoryId: f.id } }), 0);
    assert.deepEqual(await figuresOf("d"), { bytes: n(want.d.bytes), sharedBytes: n(want.d.shared), exclusiveBytes: n(want.d.bytes - want.d.shared) });
  });
});

describe("storage per registry", () => {
  test("each digest counts once; shared is what several repositories hold; exclusive is what no other registry holds", async () => {
    const s = await registryStorage(reader, { registry: "contoso" });
    assert.deepEqual(s, {
      bytes: n(contosoDistinct),
      sharedBytes: n(contosoShared),
      exclusiveBytes: n(contosoDistinct - contosoOutside),
      repositoryBytes: n(want.a.bytes + want.b.bytes + want.d.bytes),
    });
  });
});

describe("who may see storage", () => {
  test("AcrPull on one repository sees that one's figures, not another's nor the registry's; no role sees nothing", async () => {
    assert.equal((await repositoryStorage(puller, { registry: "contoso", repository: "a" })).bytes, n(want.a.bytes));
    await assert.rejects(repositoryStorage(puller, { registry: "contoso", repository: "b" }), code("DENIED"));
    await assert.rejects(registryStorage(puller, { registry: "contoso" }), code("DENIED"));
    await assert.rejects(repositoryStorage(nobody, { registry: "contoso", repository: "a" }), code("DENIED"));
    await assert.rejects(registryStorage(nobody, { registry: "contoso" }), code("DENIED"));
    await assert.rejects(repositoryStorage(reader, { registry: "contoso", repository: "nope" }), code("NOT_FOUND"));
  });
});
