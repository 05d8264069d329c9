import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { config } from "../core/context";
import { db } from "../core/db";
import { WharfError } from "../core/errors";
import { splitName } from "../core/names";
import { useTempDatabase } from "../../test/helpers/test-db";
import { manifestService } from "./manifest-service";
import { blobDataPath } from "./paths";
import { ensureRepository, type Repo } from "./repository-resolver";
import { storage } from "./storage";
import { uploadSessions } from "./upload-session";

/** Storing manifests against a real SQLite file and the filesystem driver. */
const sha = (b: Buffer | string) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");
const sha512 = (b: Buffer) => "sha512:" + crypto.createHash("sha512").update(b).digest("hex");
// The trigger's RAISE reaches us through Prisma as an unexpected (non-Wharf) error, as a full disk would.
const dbFailure = (err: unknown) => err instanceof Error && !(err instanceof WharfError);

/** A trigger that makes every insert into "Manifest" fail, as a full disk would; in each engine's dialect. */
async function failManifestInserts(): Promise<void> {
  if (config().databaseKind === "sqlite") {
    await db().$executeRawUnsafe(`CREATE TRIGGER fail_manifest BEFORE INSERT ON "Manifest" BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    return;
  }
  await db().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_manifest() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
  await db().$executeRawUnsafe(`CREATE TRIGGER fail_manifest BEFORE INSERT ON "Manifest" FOR EACH ROW EXECUTE FUNCTION fail_manifest()`);
}

async function stopFailingManifestInserts(): Promise<void> {
  await db().$executeRawUnsafe(config().databaseKind === "sqlite" ? `DROP TRIGGER IF EXISTS fail_manifest` : `DROP TRIGGER IF EXISTS fail_manifest ON "Manifest"`);
}
const code = (c: string) => (err: unknown) => err instanceof WharfError && err.code === c;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

describe("manifest store", () => {
  let dir: string;
  let repo: Repo;
  let other: Repo;
  let config: { mediaType: string; digest: string; size: number };

  const pushBlob = async (r: Repo, data: Buffer) => {
    const s = await uploadSessions.start(r);
    await uploadSessions.finish(r, s.id, sha(data), Readable.from([data]));
    return sha(data);
  };
  const image = (extra: object = {}) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, ...extra }));
  const stored = async (digest: string) => (await storage().stat(blobDataPath(digest))) !== null;

  before(async () => {
    dir = await useTempDatabase();
    await db().registry.create({ data: { name: "contoso" } });
    repo = await ensureRepository(splitName("contoso/app", null));
    other = await ensureRepository(splitName("contoso/other", null));
    const cfg = Buffer.from('{"os":"linux"}');
    config = { mediaType: "application/vnd.oci.image.config.v1+json", digest: await pushBlob(repo, cfg), size: cfg.length };
    await pushBlob(other, cfg);
  });
  after(async () => {
    await db().$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a database failure after the bytes were written leaves no orphan bytes and no rows", async () => {
    const m = image({ annotations: { n: "orphan" } });
    await failManifestInserts();
    try {
      await assert.rejects(manifestService.put(repo, "v1", m, OCI_MANIFEST), dbFailure);
      assert.equal(await stored(sha(m)), false, "bytes removed");
      assert.equal(await db().blob.count({ where: { digest: sha(m) } }), 0);

      // Bytes that another repository's manifest claims stay.
      await stopFailingManifestInserts();
      await manifestService.put(other, "v1", m, OCI_MANIFEST);
      await failManifestInserts();
      await assert.rejects(manifestService.put(repo, "v1", m, OCI_MANIFEST), dbFailure);
      assert.equal(await stored(sha(m)), true, "still claimed by contoso/other");
    } finally {
      await stopFailingManifestInserts();
    }
    await manifestService.put(repo, "v1", m, OCI_MANIFEST);
    assert.ok((await manifestService.bytes(await manifestService.resolve(repo, "v1"))).equals(m));
  });

  it("stores a manifest pushed by sha512 under that digest", async () => {
    const m = image({ annotations: { n: "512" } });
    const put = await manifestService.put(repo, sha512(m), m, OCI_MANIFEST);
    assert.equal(put.digest, sha512(m));
    assert.equal(await stored(sha512(m)), true);
    const row = await manifestService.resolve(repo, sha512(m));
    assert.equal(row.digest, sha512(m));
    assert.ok((await manifestService.bytes(row)).equals(m));
    await assert.rejects(manifestService.resolve(repo, sha(m)), code("MANIFEST_UNKNOWN"), "pushed by sha512 only");
  });

  it("every referenced blob and child must be in the repository, with its size", async () => {
    const layer = crypto.randomBytes(40);
    const withUrls = image({ layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: sha(layer), size: 40, urls: ["https://example.com/x"] }] });
    await assert.rejects(manifestService.put(repo, "urls", withUrls, OCI_MANIFEST), (err: unknown) => {
      return err instanceof WharfError && err.code === "MANIFEST_BLOB_UNKNOWN" && err.message.includes(sha(layer)) && err.message.includes("layers[0]");
    });
    assert.equal(await stored(sha(withUrls)), false);
    await pushBlob(repo, layer);
    await manifestService.put(repo, "urls", withUrls, OCI_MANIFEST);

    const child = (await manifestService.resolve(repo, "urls")).digest;
    const index = (size: number) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: child, size }] }));
    await assert.rejects(manifestService.put(repo, "idx", index(withUrls.length - 1), OCI_INDEX), (err: unknown) => {
      return err instanceof WharfError && err.code === "MANIFEST_INVALID" && err.message.includes(child) && err.message.includes("manifests[0]");
    });
    await assert.rejects(manifestService.put(other, "idx", index(withUrls.length), OCI_INDEX), code("MANIFEST_BLOB_UNKNOWN"));
    await manifestService.put(repo, "idx", index(withUrls.length), OCI_INDEX);
  });
});
