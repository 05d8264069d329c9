import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import net from "node:net";
import { db } from "../../lib/core/db";
import { createImport, getImport } from "../../lib/services/import";
import { createUser } from "../../lib/services/users";
import { UpstreamClient } from "../../lib/registry/upstream";
import { useServerDatabase } from "../helpers/access";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { pushTestImage, startDockerRegistry, type DockerRegistry, type Pushed } from "../helpers/upstreams";
import { ADMIN_PASSWORD, freePort, runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * `wharf import` end to end: the real server and CLI, a real Distribution with htpasswd (Basic) and a second
 * Wharf (Bearer) as sources, digests read back through the target's own /v2.
 */

const USER = { username: "puller", password: "right-Pass-1" };
const ADMIN = { username: "admin", password: ADMIN_PASSWORD };
let reg: DockerRegistry;
let other: Wharf;
let target: Wharf;
let slow: { host: string; close: () => void };

/** A TCP relay that sends the registry's answers at a few MB/s: a slow network, so an import can be caught mid-way. */
async function slowRelay(to: string, bytesPerSecond: number): Promise<{ host: string; close: () => void }> {
  const [h, p] = to.split(":");
  const port = await freePort();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(p), h);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      upstream.pause();
      client.write(chunk);
      setTimeout(() => upstream.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.on("end", () => client.end());
    const drop = () => (client.destroy(), upstream.destroy());
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", drop);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { host: `127.0.0.1:${port}`, close: () => server.close() };
}

const cli = (...args: string[]) => runCli(target, args);
const client = (creds = ADMIN) => new UpstreamClient({ host: target.host, credentials: creds });

async function digestOf(c: UpstreamClient, repo: string, blob: string): Promise<string> {
  const b = await c.getBlob(repo, blob);
  const h = crypto.createHash("sha256");
  for await (const chunk of b.body) h.update(chunk as Buffer);
  return "sha256:" + h.digest("hex");
}

/** Every manifest and blob of `pushed` is in `repo` of the target, byte-exact under the same digest. */
async function assertSame(repo: string, pushed: Pushed): Promise<void> {
  const c = client();
  const m = await c.getManifest(repo, pushed.digest);
  assert.deepEqual(m.bytes, pushed.bytes);
  for (const child of pushed.children) await assertSame(repo, child);
  for (const b of pushed.blobs) assert.equal(await digestOf(c, repo, b), b);
}

before(async () => {
  [reg, other] = await Promise.all([startDockerRegistry({ htpasswd: USER }), startWharf()]);
  slow = await slowRelay(reg.host, 4 << 20);
  target = await startWharf({ env: { WHARF_INSECURE_REGISTRIES: [reg.host, other.host, slow.host].join(",") } });
  await Promise.all([createRegistryRow(target, "contoso"), createRegistryRow(other, "upstreamone")]);
  // This process reads the target back over /v2 with the upstream client, so the target is plain HTTP here too.
  useServerDatabase({ dataDir: target.dataDir, env: { ...target.env, WHARF_INSECURE_REGISTRIES: `${target.env.WHARF_INSECURE_REGISTRIES},${target.host}` } });
});
after(async () => {
  slow?.close();
  await Promise.all([reg?.stop(), other?.stop(), target?.stop()]);
});

test("a single image from Distribution with Basic auth keeps every digest, and the tag points at it", async () => {
  const img = await pushTestImage(reg.host, "team/app", "v1", { ...USER, layers: 2 });
  const r = await cli("import", "--name", "contoso", "--source", `${reg.host}/team/app:v1`, "--image", "app:v1", "-u", USER.username, "-p", USER.password);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.equal(view.status, "succeeded");
  assert.equal(view.result.digest, img.digest);
  assert.deepEqual(view.progress, { layersDone: 3, layersTotal: 3, bytesDone: view.progress.bytesTotal, bytesTotal: view.progress.bytesTotal });
  await assertSame("contoso/app", img);
  assert.equal((await client().headManifest("contoso/app", "v1"))?.digest, img.digest);
  // An ended import keeps no source password (a queued one keeps it sealed: see the restart test), and the
  // activity log has the import.
  const row = await db().importJob.findUnique({ where: { id: view.id } });
  assert.equal(row?.passwordSealed, null);
  assert.ok(await db().activityLog.findFirst({ where: { action: "import", target: { contains: "app:v1" } } }));
  // Without --force an existing tag is not overwritten; with --force it is.
  const again = await cli("import", "--name", "contoso", "--source", `${reg.host}/team/app:v1`, "--image", "app:v1", "-u", USER.username, "-p", USER.password);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists; pass --force/);
  const forced = await cli("import", "--name", "contoso", "--source", `${reg.host}/team/app:v1`, "--image", "app:v1", "-u", USER.username, "-p", USER.password, "--force");
  assert.equal(forced.code, 0, forced.stderr);
});

test("a two-platform index with its referrer from another Wharf (token auth) keeps every digest", async () => {
  const idx = await pushTestImage(other.host, "upstreamone/multi", "v1", { ...ADMIN, kind: "index" });
  const sig = await pushTestImage(other.host, "upstreamone/multi", null, { ...ADMIN, kind: "artifact", artifactType: "application/vnd.example.signature", subject: idx });
  const r = await cli("import", "-n", "contoso", "--source", `${other.host}/upstreamone/multi:v1`, "--image", "multi:v1", "--image", "mirror/multi:latest", "-u", "admin", "-p", ADMIN_PASSWORD, "--include-referrers");
  assert.equal(r.code, 0, r.stderr);
  for (const repo of ["contoso/multi", "contoso/mirror/multi"]) {
    await assertSame(repo, idx);
    await assertSame(repo, sig);
    assert.deepEqual((await client().getReferrers(repo, idx.digest))?.manifests.map((m) => m.digest), [sig.digest]);
  }
  assert.equal((await client().headManifest("contoso/mirror/multi", "latest"))?.digest, idx.digest);
});

test("an OCI artifact by digest keeps its digest and artifactType", async () => {
  const chart = await pushTestImage(reg.host, "charts/demo", "0.1.0", { ...USER, kind: "artifact" });
  const r = await cli("import", "-n", "contoso", "--source", `${reg.host}/charts/demo@${chart.digest}`, "--image", "charts/demo:0.1.0", "-u", USER.username, "-p", USER.password);
  assert.equal(r.code, 0, r.stderr);
  await assertSame("contoso/charts/demo", chart);
  assert.equal(JSON.parse((await client().getManifest("contoso/charts/demo", "0.1.0")).bytes.toString()).artifactType, "application/vnd.example.chart.v1");
});

test("a wrong source password is a clear error and stores nothing", async () => {
  await pushTestImage(reg.host, "team/secret", "v1", USER);
  const r = await cli("import", "-n", "contoso", "--source", `${reg.host}/team/secret:v1`, "--image", "secret:v1", "-u", USER.username, "-p", "wrong-Pass-2");
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${reg.host} refused the username 'puller'.*password may be wrong`));
  assert.ok(!r.stderr.includes("wrong-Pass-2"));
  assert.equal(await db().repository.count({ where: { name: "secret" } }), 0);
  assert.equal(await db().importJob.count({ where: { source: { contains: "team/secret" } } }), 0);
});

test("without push on the target the import is denied and nothing is recorded", async () => {
  await pushTestImage(reg.host, "team/denied", "v1", USER);
  const u = await createUser("reader1", "reader-Pass-1");
  const contoso = await db().registry.findUniqueOrThrow({ where: { name: "contoso" } });
  await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "AcrPull", scope: `/registries/${contoso.name}` } });
  await assert.rejects(
    createImport({ kind: "user", id: u.id, name: "reader1" }, { registry: "contoso", source: `${reg.host}/team/denied:v1`, images: ["denied:v1"], ...USER }),
    (e: Error & { code?: string }) => e.code === "DENIED" && /may not push contoso\/denied/.test(e.message),
  );
  assert.equal(await db().importJob.count({ where: { source: { contains: "team/denied" } } }), 0);
});

test("a source in another registry of this Wharf is linked, not copied, for a caller who may pull it; one who may not is denied", async () => {
  await createRegistryRow(target, "fabrikam");
  const img = await pushTestImage(target.host, "fabrikam/base", "v1", { ...ADMIN, layers: 2 });
  const blobRows = await db().blob.count();
  const pusher = await createUser("linker", "linker-Pass-1");
  const noPull = await createUser("nopull", "nopull-Pass-1");
  for (const u of [pusher, noPull]) await db().roleAssignment.create({ data: { principalType: "user", principalId: u.id, role: "AcrPush", scope: "/registries/contoso" } });
  await db().roleAssignment.create({ data: { principalType: "user", principalId: pusher.id, role: "AcrPull", scope: "/registries/fabrikam/repositories/base" } });
  const source = `${target.host}/fabrikam/base:v1`;

  // Push on the target is not enough: the source is read with the caller's own rights.
  await assert.rejects(
    createImport({ kind: "user", id: noPull.id, name: "nopull" }, { registry: "contoso", source, images: ["linked/base:v1"] }),
    (e: Error & { code?: string }) => e.code === "DENIED" && /may not pull fabrikam\/base/.test(e.message),
  );
  assert.equal(await db().importJob.count({ where: { source } }), 0);

  const actor = { kind: "user", id: pusher.id, name: "linker" } as const;
  // A tag the source does not have is an error at once, as from an upstream: nothing is queued.
  await assert.rejects(
    createImport(actor, { registry: "contoso", source: `${target.host}/fabrikam/base:nope`, images: ["linked/base:nope"] }),
    (e: Error & { code?: string; field?: string }) => e.field === "source" && /fabrikam\/base:nope was not found/.test(e.message),
  );
  assert.equal(await db().importJob.count({ where: { source: { contains: "fabrikam/base:nope" } } }), 0);
  let job = await createImport(actor, { registry: "contoso", source, images: ["linked/base:v1"] });
  while (job.status === "queued" || job.status === "running") {
    await new Promise((r) => setTimeout(r, 200));
    job = await getImport(actor, { id: job.id });
  }
  assert.equal(job.status, "succeeded", job.error ?? "");
  assert.equal(job.result?.digest, img.digest);
  assert.equal(job.result?.blobs, img.blobs.length);
  assert.equal(job.result?.bytesCopied, 0, "no byte copied");
  assert.ok((job.result?.bytesLinked ?? 0) > 0);
  await assertSame("contoso/linked/base", img);
  assert.equal((await client().headManifest("contoso/linked/base", "v1"))?.digest, img.digest);
  // Links to the blobs already stored: not one new blob row.
  assert.equal(await db().blob.count(), blobRows);
});

test("an import interrupted by a server restart finishes after it, fetching no stored blob again", async () => {
  const big = await pushTestImage(reg.host, "team/big", "v1", { ...USER, layers: 4, layerSize: 6 << 20 });
  const r = await cli("import", "-n", "contoso", "--source", `${slow.host}/team/big:v1`, "--image", "big:v1", "-u", USER.username, "-p", USER.password, "--no-wait");
  assert.equal(r.code, 0, r.stderr);
  const { id, status } = JSON.parse(r.stdout);
  assert.equal(status, "queued");
  const sealed = (await db().importJob.findUnique({ where: { id } }))?.passwordSealed;
  assert.ok(sealed?.startsWith("v1:") && !sealed.includes(USER.password), "the waiting import holds its password sealed");
  const show = async () => {
    const s = await cli("import", "show", "--id", id);
    assert.equal(s.code, 0, s.stderr);
    return JSON.parse(s.stdout);
  };
  let seen = await show();
  while (seen.progress.layersDone < 2) {
    assert.ok(seen.status === "queued" || seen.status === "running", JSON.stringify(seen));
    seen = await show();
  }
  assert.equal(seen.status, "running", "caught mid-way");
  target = await target.restart();
  while (seen.status !== "succeeded" && seen.status !== "failed") seen = await show();
  assert.equal(seen.status, "succeeded", seen.error);
  assert.equal((await db().importJob.findUnique({ where: { id } }))?.passwordSealed, null, "the ended import dropped its password");
  await assertSame("contoso/big", big);
  // Blobs stored before the restart were not fetched again: at most the one in flight then is fetched twice.
  const fetched = big.blobs.reduce((n, b) => n + reg.requestsFor(new RegExp(`/blobs/${b}$`), { method: "GET", status: 200 }), 0);
  assert.ok(fetched >= big.blobs.length && fetched <= big.blobs.length + 1, `blob fetches: ${fetched} for ${big.blobs.length} blobs`);
});
