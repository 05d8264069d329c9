import { databaseUrlOf } from "../helpers/backends";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDb, type Db } from "../../lib/core/db";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { OciLayout, type Desc } from "../helpers/oci-layout";
import { skopeoSandbox } from "../helpers/skopeo";
import { ADMIN_PASSWORD, runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * Soft delete end to end with real clients: skopeo pushes and deletes through /v2, the CLI (another process) turns
 * soft delete on, lists the bin, restores and runs garbage collection; the blob files on disk say what was kept.
 */

const creds = `admin:${ADMIN_PASSWORD}`;

describe("recycle bin", () => {
  let w: Wharf;
  let prisma: Db;
  let tmp: string;
  let layout: OciLayout;
  let skopeo: ReturnType<typeof skopeoSandbox>["skopeo"];
  const cli = (...args: string[]) => runCli(w, args);
  const json = async (...args: string[]) => {
    const r = await cli(...args, "-o", "json");
    assert.equal(r.code, 0, `wharf ${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    try {
      return JSON.parse(r.stdout);
    } catch {
      throw new Error(`wharf ${args.join(" ")} printed no JSON:\n${r.stdout}`);
    }
  };
  const ref = (image: string) => `docker://${w.host}/binreg/${image}`;
  const del = (image: string) => skopeo("delete", "--creds", creds, "--tls-verify=false", ref(image));
  const inspectDigest = async (image: string) => JSON.parse((await skopeo("inspect", "--creds", creds, "--tls-verify=false", ref(image))).stdout).Digest as string;
  const blobFile = (digest: string) => {
    const hex = digest.slice("sha256:".length);
    return path.join(w.dataDir, "blobs", "sha256", hex.slice(0, 2), hex, "data");
  };
  const srcBlob = (digest: string) => path.join(layout.dir, "blobs", "sha256", digest.slice("sha256:".length));
  /** The layer and config digests of an image in the source layout. */
  const blobsOf = (d: Desc): string[] => {
    const m = JSON.parse(fs.readFileSync(srcBlob(d.digest), "utf8"));
    return [m.config.digest, ...m.layers.map((l: { digest: string }) => l.digest)];
  };
  const images: Record<string, Desc> = {};

  before(async () => {
    ({ tmp, skopeo } = skopeoSandbox("wharf-bin-", () => w?.output() ?? ""));
    layout = new OciLayout(path.join(tmp, "src"));
    images.v1 = layout.image({ fileContent: `restore me ${crypto.randomUUID()}\n` });
    images.a = layout.image({ fileContent: `first c1 ${crypto.randomUUID()}\n` });
    images.b = layout.image({ fileContent: `second c1 ${crypto.randomUUID()}\n` });
    const shared = `shared layer ${crypto.randomUUID()}\n`;
    images.x = layout.image({ arch: "amd64", fileContent: shared });
    images.y = layout.image({ arch: "arm64", fileContent: shared });
    // Only on request: every collection in this test is one the test runs.
    w = await startWharf({ env: { WHARF_GC_INTERVAL_SECONDS: "0" } });
    prisma = createDb(databaseUrlOf(w.dataDir));
    await createRegistryRow(w, "binreg");
  });
  after(async () => {
    await prisma?.$disconnect();
    await w?.stop();
    if (w) fs.rmSync(w.dataDir, { recursive: true, force: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** index.json naming exactly one image under `tag`, so skopeo copies that one. */
  const pushImage = (tag: string, image: string) => {
    layout.tag({ [tag]: images[tag] });
    return skopeo("copy", "--dest-creds", creds, "--dest-tls-verify=false", `oci:${layout.dir}:${tag}`, ref(image));
  };

  it("turns soft delete on from the CLI; off by default", async () => {
    assert.deepEqual((await json("config", "soft-delete", "show", "-r", "binreg")).status, "disabled");
    const bad = await cli("config", "soft-delete", "update", "-r", "binreg", "--days", "91");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--days: must be a whole number from 1 to 90/);
    const on = await json("config", "soft-delete", "update", "-r", "binreg", "--days", "7", "--status", "enabled");
    assert.deepEqual([on.status, on.days], ["enabled", 7]);
  });

  it("a deleted image cannot be pulled but its bytes stay (also through a collection); restore brings it back byte for byte", async () => {
    await pushImage("v1", "app:v1");
    const files = [images.v1.digest, ...blobsOf(images.v1)];
    await del("app:v1");
    await assert.rejects(inspectDigest("app:v1"), /manifest unknown|not found|MANIFEST_UNKNOWN/i);
    await assert.rejects(inspectDigest(`app@${images.v1.digest}`), /manifest unknown|not found|MANIFEST_UNKNOWN/i);
    for (const f of files) assert.ok(fs.existsSync(blobFile(f)), `${f} stays on disk`);
    await json("gc", "run", "--registry", "binreg", "--grace-period", "0s");
    for (const f of files) assert.ok(fs.existsSync(blobFile(f)), `${f} stays on disk through a collection`);

    const listed = await json("manifest", "list-deleted", "-r", "binreg", "-n", "app");
    assert.deepEqual(listed.map((m: { digest: string; tags: string[]; deletedBy: string }) => [m.digest, m.tags, m.deletedBy]), [[images.v1.digest, ["v1"], "admin"]]);

    const restored = await json("manifest", "restore", "-r", "binreg", "-n", "app:v1");
    assert.deepEqual([restored.digest, restored.tags], [images.v1.digest, ["v1"]]);
    assert.deepEqual(await json("manifest", "list-deleted", "-r", "binreg", "-n", "app"), []);
    const out = path.join(tmp, "pulled");
    await skopeo("copy", "--src-creds", creds, "--src-tls-verify=false", ref("app:v1"), `oci:${out}:v1`);
    assert.equal(OciLayout.readTagged(out, "v1")?.digest, images.v1.digest);
    for (const f of files) {
      const hex = f.slice("sha256:".length);
      assert.ok(fs.readFileSync(path.join(out, "blobs", "sha256", hex)).equals(fs.readFileSync(srcBlob(f))), `${f} pulled byte for byte`);
    }
  });

  it("a restore over a tag that moved is refused with the tag named, and --force moves it back", async () => {
    await pushImage("a", "app:c1");
    await del("app:c1");
    await pushImage("b", "app:c1");
    const refused = await cli("manifest", "restore", "-r", "binreg", "-n", `app@${images.a.digest}`);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ERROR: Tag 'c1' of binreg\/app now points at sha256:/);
    assert.match(refused.stderr, /--force/);
    assert.equal(await inspectDigest("app:c1"), images.b.digest, "nothing moved");
    const forced = await cli("manifest", "restore", "-r", "binreg", "-n", `app@${images.a.digest}`, "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /Moved 'c1' back/);
    assert.equal(await inspectDigest("app:c1"), images.a.digest);
  });

  it("an expired entry goes with the next collection, and with it the bytes no one else holds", async () => {
    await json("config", "soft-delete", "update", "-r", "binreg", "--days", "1");
    await pushImage("x", "app:x");
    await pushImage("y", "app:y");
    const [xConfig, sharedLayer] = blobsOf(images.x);
    await del("app:x");
    const entry = await prisma.recycledManifest.findFirstOrThrow({ where: { digest: images.x.digest } });
    assert.equal(entry.expiresAt.getTime() - entry.deletedAt.getTime(), 86_400_000, "kept for the days set then");
    // Not yet expired: a collection keeps it.
    await json("gc", "run", "--registry", "binreg", "--grace-period", "0s");
    assert.ok(fs.existsSync(blobFile(images.x.digest)));
    await prisma.recycledManifest.update({ where: { id: entry.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });

    const run = await json("gc", "run", "--registry", "binreg", "--grace-period", "0s");
    assert.deepEqual(run.manifestsDeleted.recycleBin.map((m: { digest: string }) => m.digest), [images.x.digest]);
    assert.equal(await prisma.recycledManifest.count({ where: { id: entry.id } }), 0);
    assert.ok(!fs.existsSync(blobFile(images.x.digest)), "the manifest's bytes are gone");
    assert.ok(!fs.existsSync(blobFile(xConfig)), "its own config is gone");
    assert.ok(fs.existsSync(blobFile(sharedLayer)), "the layer app:y shares stays");
    assert.equal(await inspectDigest("app:y"), images.y.digest);
    const gone = await cli("manifest", "restore", "-r", "binreg", "-n", "app:x");
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /No manifest in the recycle bin of binreg\/app had tag 'x'/);
  });
});
