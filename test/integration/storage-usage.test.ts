import { databaseUrlOf } from "../helpers/backends";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDb, type Db } from "../../lib/core/db";
import { api, createRegistryRow, pushPull, token, type Api } from "../helpers/registry-fixtures";
import { portalSignIn } from "../helpers/portal-session";
import { ADMIN_PASSWORD, runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * Storage figures, the manifest list and the last pull, end to end: images pushed and
 * pulled over the real data plane, read back with the compiled CLI (`wharf repository
 * show`, `wharf manifest list-metadata`) and from the server's database.
 */

let wharf: Wharf;
let prisma: Db;
let v2: Api;
const pushed: Record<string, { digest: string; manifest: Buffer; config: string; layer: string }> = {};
let sharedLayer = Buffer.alloc(0);
let onlyA = Buffer.alloc(0);

const cli = (...args: string[]) => runCli(wharf, args);

function ok(r: { code: number; stdout: string; stderr: string }) {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Content-Length of a blob as the registry serves it. */
async function blobSize(repo: string, digest: string): Promise<number> {
  const r = await v2.fetch(`/v2/${repo}/blobs/${digest}`, { method: "HEAD" });
  assert.equal(r.status, 200);
  return Number(r.headers.get("content-length"));
}

before(async () => {
  wharf = await startWharf();
  prisma = createDb(databaseUrlOf(wharf.dataDir));
  await createRegistryRow(wharf, "contoso");
  v2 = api(wharf, await token(wharf, [pushPull("contoso/a"), pushPull("contoso/b")]));
  sharedLayer = crypto.randomBytes(2000);
  onlyA = crypto.randomBytes(5000);
  // a and b share a layer; a's second layer is used by two of its images.
  pushed.a1 = await v2.pushImage("contoso/a", "v1", { layer: sharedLayer });
  pushed.b1 = await v2.pushImage("contoso/b", "v1", { layer: sharedLayer });
  pushed.a2 = await v2.pushImage("contoso/a", "v2", { layer: onlyA });
  pushed.a3 = await v2.pushImage("contoso/a", "v3", { layer: onlyA });
});

after(async () => {
  await prisma?.$disconnect();
  await wharf?.stop();
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

describe("wharf repository show", () => {
  test("prints the repository's attributes and its bytes: shared with b, and only here", async () => {
    let configs = 0;
    for (const k of ["a1", "a2", "a3"]) configs += await blobSize("contoso/a", pushed[k].config);
    const manifests = pushed.a1.manifest.length + pushed.a2.manifest.length + pushed.a3.manifest.length;
    const bytes = sharedLayer.length + onlyA.length + configs + manifests;

    const shown = ok(await cli("repository", "show", "--name", "contoso", "--repository", "a"));
    assert.equal(shown.name, "a");
    assert.equal(shown.imageName, "a");
    assert.equal(shown.tagCount, 3);
    assert.equal(shown.manifestCount, 3);
    assert.ok(Date.parse(shown.lastUpdateTime) >= Date.parse(shown.createdTime));
    assert.deepEqual(shown.changeableAttributes, { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true });
    assert.deepEqual(shown.storage, { bytes, sharedBytes: sharedLayer.length, exclusiveBytes: bytes - sharedLayer.length });

    const b = ok(await cli("repository", "show", "-n", "contoso", "--repository", "b", "--query", "storage"));
    const bBytes = sharedLayer.length + (await blobSize("contoso/b", pushed.b1.config)) + pushed.b1.manifest.length;
    assert.deepEqual(b, { bytes: bBytes, sharedBytes: sharedLayer.length, exclusiveBytes: bBytes - sharedLayer.length });

    // --image still shows a tag's locks.
    assert.equal(ok(await cli("repository", "show", "-n", "contoso", "--image", "a:v1")).level, "tag");
  });

  test("an unknown repository is one ERROR line with exit 1", async () => {
    const r = await cli("repository", "show", "--name", "contoso", "--repository", "nope");
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^ERROR: .*'nope' not found/);
  });
});

describe("portal", () => {
  test("the repository list shows Size, Shared and Only here with exact bytes; the overview the registry's totals", async () => {
    const { session } = await portalSignIn(wharf, "admin", ADMIN_PASSWORD);
    assert.ok(session);
    const a = ok(await cli("repository", "show", "-n", "contoso", "--repository", "a", "--query", "storage"));
    const list = await (await fetch(`${wharf.url}/registries/contoso/repositories`, { headers: { Cookie: session } })).text();
    for (const header of ["Size", "Shared", "Only here"]) assert.match(list, new RegExp(`>${header}<`));
    assert.match(list, /what deleting this repository would free/);
    for (const v of [a.bytes, a.sharedBytes, a.exclusiveBytes]) assert.ok(list.includes(`title="${v.toLocaleString("en")} bytes"`), `${v} bytes shown`);
    const overview = await (await fetch(`${wharf.url}/registries/contoso`, { headers: { Cookie: session } })).text();
    assert.match(overview, /data-testid="storage-breakdown"/);
    assert.match(overview, /Only in this registry/);
    assert.match(overview, /add up to/, "a and b share a layer, so their sizes add up to more than is stored");
  });
});

describe("wharf manifest list-metadata", () => {
  test("lists every manifest newest first with ACR's keys; a manifest whose tag was deleted stays, with tags []", async () => {
    const del = await v2.fetch("/v2/contoso/a/manifests/v3", { method: "DELETE" });
    assert.equal(del.status, 202);
    const list = ok(await cli("manifest", "list-metadata", "--registry", "contoso", "--name", "a"));
    assert.deepEqual(
      list.map((m: { digest: string }) => m.digest),
      [pushed.a3.digest, pushed.a2.digest, pushed.a1.digest],
    );
    const [a3, a2] = list;
    assert.deepEqual(a3.tags, []);
    assert.deepEqual(a2.tags, ["v2"]);
    assert.equal(a2.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(a2.imageSize, pushed.a2.manifest.length + onlyA.length + (await blobSize("contoso/a", pushed.a2.config)));
    assert.deepEqual(a2.platforms, ["linux/amd64"]);
    assert.deepEqual(a2.changeableAttributes, { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true });
    for (const key of ["createdTime", "lastUpdateTime"]) assert.ok(!Number.isNaN(Date.parse(a2[key])), key);

    const asc = ok(await cli("manifest", "list-metadata", "-r", "contoso", "-n", "a", "--orderby", "time_asc", "--top", "2", "--query", "[].digest"));
    assert.deepEqual(asc, [pushed.a1.digest, pushed.a2.digest]);
    const untagged = ok(await cli("manifest", "list-metadata", "-r", "contoso", "-n", "a", "--query", "[?tags[0]==null].digest"));
    assert.deepEqual(untagged, [pushed.a3.digest]);
  });

  test("a bad --orderby is a usage error (exit 2); an unknown repository exit 1", async () => {
    let r = await cli("manifest", "list-metadata", "-r", "contoso", "-n", "a", "--orderby", "name");
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--orderby/);
    r = await cli("manifest", "list-metadata", "-r", "contoso", "-n", "nope");
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^ERROR: .*not found/);
  });
});

describe("last pull", () => {
  test("a manifest GET sets lastPulledAt within a flush; a HEAD does not; lastUpdateTime does not move", async () => {
    const before = await prisma.manifest.findMany({ where: { digest: { in: [pushed.a1.digest, pushed.a2.digest] } } });
    const pulledAfter = Date.now();
    const get = await v2.fetch("/v2/contoso/a/manifests/v1", { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } });
    assert.equal(get.status, 200);
    await get.arrayBuffer();
    const head = await v2.fetch(`/v2/contoso/a/manifests/${pushed.a2.digest}`, { method: "HEAD" });
    assert.equal(head.status, 200);

    // The server writes every few seconds; wait for it, however long the machine takes.
    let pulled = null;
    for (let i = 0; i < 600 && !pulled; i++) {
      pulled = (await prisma.manifest.findFirst({ where: { digest: pushed.a1.digest, lastPulledAt: { not: null } } }))?.lastPulledAt ?? null;
      if (!pulled) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(pulled, "lastPulledAt was written");
    assert.ok(pulled.getTime() >= pulledAfter - 1000 && pulled.getTime() <= Date.now(), `lastPulledAt ${pulled.toISOString()}`);
    const rows = new Map((await prisma.manifest.findMany({ where: { digest: { in: [pushed.a1.digest, pushed.a2.digest] } } })).map((m) => [m.digest, m]));
    assert.equal(rows.get(pushed.a2.digest)?.lastPulledAt, null, "a HEAD is not a pull");
    for (const m of before) assert.equal(rows.get(m.digest)?.updatedAt.getTime(), m.updatedAt.getTime(), "a pull is not an update");

    const listed = ok(await cli("manifest", "list-metadata", "-r", "contoso", "-n", "a", "--query", `[?digest=='${pushed.a1.digest}'].lastPulledTime | [0]`));
    assert.equal(listed, pulled.toISOString());
  });
});
