import { databaseUrlOf } from "../helpers/backends";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { createDb, type Db } from "../../lib/core/db";
import { api, pushPull, token } from "../helpers/registry-fixtures";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * The compiled `wharf` CLI against a real server's data dir and SQLite file.
 * Images are pushed through the real data plane; where a test needs exact
 * timestamps, rows are written straight into the same database with Prisma.
 */

let wharf: Wharf;
let prisma: Db;

before(async () => {
  wharf = await startWharf({ env: { WHARF_LOCATIONS: "local,westeurope" } });
  prisma = createDb(databaseUrlOf(wharf.dataDir));
});

after(async () => {
  await prisma?.$disconnect();
  await wharf?.stop();
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(wharf, args);

async function registryNames(): Promise<string[]> {
  const r = await cli("registry", "list", "--query", "[].name");
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Fails with the CLI's output when it did not succeed. */
function ok(r: { code: number; stdout: string; stderr: string }) {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** A failure is exit code 1 (2 for a command typed wrongly, as az), nothing on stdout, one clear line on stderr. */
function failed(r: { code: number; stdout: string; stderr: string }, message: RegExp, code = 1) {
  assert.equal(r.code, code, `expected exit ${code}, got exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, message);
  assert.match(r.stderr, /^ERROR: /);
}

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Writes a repository with one blob link, manifests and tags moved at the given minutes. */
async function seedRepository(registry: string, name: string, tags: { tag: string; minute: number; digest: string }[]) {
  const reg = await prisma.registry.findUniqueOrThrow({ where: { name: registry } });
  const repo = await prisma.repository.create({ data: { registryId: reg.id, name, createdAt: at(0), updatedAt: at(0) } });
  const layer = `sha256:${"a".repeat(64)}`;
  await prisma.blob.upsert({ where: { digest: layer }, create: { digest: layer, size: 1000n }, update: {} });
  await prisma.blobLink.create({ data: { repositoryId: repo.id, digest: layer } });
  const manifests = new Map<string, string>();
  for (const t of tags) {
    if (!manifests.has(t.digest)) {
      const m = await prisma.manifest.create({
        data: {
          repositoryId: repo.id,
          digest: t.digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          size: 500,
          contentSize: 1000n,
          createdAt: at(t.minute),
          updatedAt: at(t.minute),
        },
      });
      manifests.set(t.digest, m.id);
    }
    await prisma.tag.create({
      data: { repositoryId: repo.id, name: t.tag, manifestId: manifests.get(t.digest)!, createdAt: at(t.minute), updatedAt: at(t.minute) },
    });
  }
  return repo;
}

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("wharf registry", () => {
  test("create prints the new registry as az does, with its login server", async () => {
    const out = JSON.parse(ok(await cli("registry", "create", "--name", "MyRegistry", "--sku", "premium", "--location", "westeurope")));
    assert.equal(out.name, "myregistry");
    assert.deepEqual(out.sku, { name: "Premium", tier: "Premium" });
    assert.equal(out.location, "westeurope");
    assert.equal(out.loginServer, wharf.host);
    assert.equal(out.repositoryPrefix, "myregistry/");
    assert.equal(out.anonymousPullEnabled, false);
    assert.equal(out.adminUserEnabled, false);
    assert.ok(!Number.isNaN(Date.parse(out.creationDate)));

    const basic = JSON.parse(ok(await cli("registry", "create", "-n", "secondreg")));
    assert.equal(basic.sku.name, "Standard", "Standard is the default SKU");
    assert.equal(basic.location, "local");
  });

  test("invalid names, a taken name and a bad SKU are refused and change nothing", async () => {
    const before = await registryNames();
    for (const bad of ["abcd", "my-registry", "my.registry", "x".repeat(51), "ünïcode1"]) {
      failed(await cli("registry", "create", "--name", bad), /^ERROR: --name: .*Registry names are 5–50 letters and digits/);
    }
    failed(await cli("registry", "create", "--name", "MYREGISTRY"), /already in use\. .*`wharf registry show --name myregistry`/);
    failed(await cli("registry", "create", "--name", "thirdreg", "--location", "mars"), /--location: Choose a location: local, westeurope\./);
    failed(await cli("registry", "create", "--name", "thirdreg", "--sku", "Gold"), /--sku: invalid choice: 'Gold' \(choose from 'Basic', 'Standard', 'Premium'\)/, 2);
    failed(await cli("registry", "create", "--sku", "Basic"), /required: --name\/-n\. See `wharf registry create --help`/, 2);
    failed(await cli("registry", "create", "--name"), /argument --name\/-n: expected one argument/, 2);
    assert.deepEqual(await registryNames(), before);
    // The existing registry kept its settings.
    assert.equal((await prisma.registry.findUniqueOrThrow({ where: { name: "myregistry" } })).sku, "Premium");
  });

  test("list prints JSON by default and an aligned table with -o table", async () => {
    const list = JSON.parse(ok(await cli("registry", "list")));
    assert.deepEqual(
      list.map((r: { name: string }) => r.name),
      ["myregistry", "secondreg"],
    );
    const table = ok(await cli("registry", "list", "--output", "table")).trimEnd().split("\n");
    assert.match(table[0], /^NAME\s+SKU\s+LOGIN SERVER\s+LOCATION\s+CREATION DATE/);
    assert.match(table[1], /^-+  -+  -+/);
    assert.equal(table.length, 4);
    // Columns line up: every row has its SKU where the header has SKU.
    const skuAt = table[0].indexOf("SKU");
    assert.equal(table[2].slice(skuAt).split(/\s+/)[0], "Premium");
    assert.equal(table[3].slice(skuAt).split(/\s+/)[0], "Standard");
    const serverAt = table[0].indexOf("LOGIN SERVER");
    assert.equal(table[2].slice(serverAt).split(/\s+/)[0], wharf.host);
  });

  test("show --query prints the bare value", async () => {
    assert.equal(ok(await cli("registry", "show", "--name", "myregistry", "--query", "anonymousPullEnabled")), "false\n");
    assert.equal(ok(await cli("registry", "show", "-n", "MyRegistry", "--query", "loginServer")), `"${wharf.host}"\n`);
    assert.equal(ok(await cli("registry", "show", "-n", "myregistry", "--query", "sku.name", "-o", "tsv")), "Premium\n");
    const full = JSON.parse(ok(await cli("registry", "show", "-n", "myregistry")));
    assert.equal(full.name, "myregistry");
    // JMESPath: a field that is not there is null, printed as nothing (as az), with a warning naming the fields.
    const colour = await cli("registry", "show", "-n", "myregistry", "--query", "colour");
    assert.deepEqual([colour.code, colour.stdout], [0, ""]);
    assert.match(colour.stderr, /^WARNING: --query 'colour' matched nothing\. The result has the fields: .*loginServer/);
    failed(await cli("registry", "show", "-n", "nosuchreg"), /Registry 'nosuchreg' not found\. List registries with `wharf registry list`\./);
  });

  test("delete refuses without --yes, then removes the registry, everything in it and its unshared blobs", async () => {
    const shared = crypto.randomBytes(3000);
    const keep = api(wharf, await token(wharf, [pushPull("myregistry/keeper")]));
    const kept = await keep.pushImage("myregistry/keeper", "v1", { layer: shared });
    const doomed = api(wharf, await token(wharf, [pushPull("secondreg/doomed/app"), pushPull("secondreg/other")]));
    const own = await doomed.pushImage("secondreg/doomed/app", "v1");
    await doomed.pushImage("secondreg/other", "v1", { layer: shared });
    // An upload session left open in the registry.
    const open = await doomed.fetch("/v2/secondreg/other/blobs/uploads/", { method: "POST" });
    assert.equal(open.status, 202);
    const blobFile = (digest: string) => path.join(wharf.dataDir, "blobs", "sha256", digest.slice(7, 9), digest.slice(7), "data");
    assert.ok(fs.existsSync(blobFile(own.layer)), "the data plane stores blobs where this test looks");

    failed(await cli("registry", "delete", "--name", "secondreg"), /cannot be undone\. To confirm, run `wharf registry delete --name secondreg --yes`/);
    assert.ok(await prisma.registry.findUnique({ where: { name: "secondreg" } }), "still there without --yes");
    assert.equal((await doomed.fetch("/v2/secondreg/doomed/app/manifests/v1")).status, 200);

    const r = await cli("registry", "delete", "--name", "secondreg", "--yes");
    assert.equal(ok(r), "");
    // Unshared: the doomed layer, both configs and both manifests; the shared layer stays.
    assert.match(r.stderr, /Deleted registry 'secondreg' and its 2 repositories; freed 5 blobs/);
    assert.deepEqual(await registryNames(), ["myregistry"]);
    // Cascades took the registry's rows; garbage collection took the blobs only it linked.
    assert.equal(await prisma.repository.count({ where: { registry: { name: "secondreg" } } }), 0);
    assert.equal(await prisma.manifest.count({ where: { digest: own.digest } }), 0);
    assert.equal(await prisma.upload.count({ where: { repository: { registry: { name: "secondreg" } } } }), 0);
    assert.equal(await prisma.blob.count({ where: { digest: own.layer } }), 0);
    assert.ok(!fs.existsSync(blobFile(own.layer)), "unshared layer bytes are gone");
    // The layer another registry still links survives, and is still served there.
    assert.ok(fs.existsSync(blobFile(kept.layer)));
    const pulled = await keep.fetch(`/v2/myregistry/keeper/blobs/${kept.layer}`);
    assert.equal(pulled.status, 200);
    assert.deepEqual(Buffer.from(await pulled.arrayBuffer()), shared);
    assert.equal((await doomed.fetch("/v2/secondreg/doomed/app/manifests/v1")).status, 404);

    failed(await cli("registry", "delete", "--name", "secondreg", "--yes"), /Registry 'secondreg' not found\. List registries/);
  });
});

describe("wharf repository", () => {
  before(async () => {
    await seedRepository("myregistry", "hello-world", [
      { tag: "v1", minute: 10, digest: digest("1") },
      { tag: "latest", minute: 30, digest: digest("3") },
      { tag: "v2", minute: 20, digest: digest("2") },
    ]);
    await seedRepository("myregistry", "team/app", [{ tag: "main", minute: 5, digest: digest("5") }]);
  });

  test("list shows every repository with its counts and last update", async () => {
    const repos = JSON.parse(ok(await cli("repository", "list", "--name", "myregistry")));
    assert.deepEqual(repos.filter((r: { name: string }) => r.name === "hello-world" || r.name === "team/app"), [
      { name: "hello-world", tagCount: 3, manifestCount: 3, createdTime: at(0).toISOString(), lastUpdateTime: at(30).toISOString() },
      { name: "team/app", tagCount: 1, manifestCount: 1, createdTime: at(0).toISOString(), lastUpdateTime: at(5).toISOString() },
    ]);
    const table = ok(await cli("repository", "list", "-n", "myregistry", "-o", "table")).trimEnd().split("\n");
    assert.match(table[0], /^NAME\s+TAGS\s+MANIFESTS\s+LAST UPDATE$/);
    assert.ok(table.some((l) => /^hello-world\s+3\s+3\s+2026-01-01T00:30:00\.000Z$/.test(l)), table.join("\n"));
    assert.deepEqual(JSON.parse(ok(await cli("repository", "list", "-n", "myregistry", "--query", "[].name"))), ["hello-world", "keeper", "team/app"]);
    failed(await cli("repository", "list", "-n", "nosuchreg"), /Registry 'nosuchreg' not found\. List registries with `wharf registry list`/);
  });

  test("list and show-tags see images pushed through the data plane", async () => {
    const client = api(wharf, await token(wharf, [pushPull("myregistry/pushed/app")]));
    const pushed: Record<string, string> = {};
    for (const tag of ["1.0", "1.1", "2.0"]) {
      pushed[tag] = (await client.pushImage("myregistry/pushed/app", tag)).digest;
      await new Promise((r) => setTimeout(r, 5)); // distinct push times, so "newest first" is well defined
    }
    const repos = JSON.parse(ok(await cli("repository", "list", "-n", "myregistry")));
    const row = repos.find((x: { name: string }) => x.name === "pushed/app");
    assert.equal(row.tagCount, 3);
    assert.equal(row.manifestCount, 3);
    assert.deepEqual(JSON.parse(ok(await cli("repository", "show-tags", "-n", "myregistry", "--repository", "pushed/app"))), ["2.0", "1.1", "1.0"]);
    const detail = JSON.parse(ok(await cli("repository", "show-tags", "-n", "myregistry", "--repository", "pushed/app", "--detail")));
    assert.deepEqual(
      detail.map((t: { name: string; digest: string }) => [t.name, t.digest]),
      [["2.0", pushed["2.0"]], ["1.1", pushed["1.1"]], ["1.0", pushed["1.0"]]],
    );
    assert.ok(detail.every((t: { size: number }) => t.size > 1000), "size counts the manifest and its blobs");
  });

  test("show-tags lists tags newest first, with details on request", async () => {
    const base = ["repository", "show-tags", "--name", "myregistry", "--repository", "hello-world"];
    assert.deepEqual(JSON.parse(ok(await cli(...base))), ["latest", "v2", "v1"]);
    assert.deepEqual(JSON.parse(ok(await cli(...base, "--orderby", "time_asc"))), ["v1", "v2", "latest"]);
    assert.deepEqual(JSON.parse(ok(await cli(...base, "--top", "2"))), ["latest", "v2"]);
    const detail = JSON.parse(ok(await cli(...base, "--detail", "--top", "1")));
    assert.deepEqual(detail, [
      {
        name: "latest",
        digest: digest("3"),
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        size: 1500,
        createdTime: at(30).toISOString(),
        lastUpdateTime: at(30).toISOString(),
      },
    ]);
    const table = ok(await cli(...base, "-o", "table")).trimEnd().split("\n");
    assert.deepEqual(table, ["Result", "------", "latest", "v2", "v1"]);

    failed(await cli(...base, "--top", "0"), /--top: must be a positive whole number/, 2);
    failed(
      await cli("repository", "show-tags", "-n", "myregistry", "--repository", "nope"),
      /Repository 'nope' not found in registry myregistry\. List its repositories with `wharf repository list --name myregistry`/,
    );
  });
});

describe("wharf help and usage", () => {
  test("-h works on every level and shows examples", async () => {
    const top = ok(await cli("--help"));
    assert.match(top, /registry\s+: Manage registries/);
    assert.match(ok(await cli()), /Subgroups:/);
    const group = ok(await cli("registry", "-h"));
    for (const verb of ["create", "list", "show", "delete"]) assert.match(group, new RegExp(`^    ${verb}\\s+: `, "m"));
    const cmd = ok(await cli("registry", "create", "--help"));
    assert.match(cmd, /--name -n \[Required\]/);
    assert.match(cmd, /Allowed values: Basic, Standard, Premium/);
    assert.match(cmd, /Examples\n.*\n\s+wharf registry create --name myregistry/);
    assert.match(ok(await cli("repository", "show-tags", "-h")), /--repository \[Required\]/);
  });

  test("mistyped commands and options say what to run instead", async () => {
    failed(await cli("registy", "list"), /'registy' is not a command in 'wharf'\. Did you mean 'wharf registry'\?/, 2);
    failed(await cli("registry", "lst"), /Did you mean 'wharf registry list'\? See `wharf registry --help`/, 2);
    failed(await cli("registry", "show", "--nmae", "x"), /Unrecognised argument '--nmae'\. Did you mean '--name'\?/, 2);
    failed(await cli("registry", "list", "-o", "yaml"), /--output\/-o: invalid choice: 'yaml'/, 2);
  });

  test("works on a fresh data dir (migrations applied first) and prints the configured login server", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-cli-fresh-"));
    try {
      const env = { ...wharf.env, WHARF_DATA_DIR: dir };
      assert.equal(ok(await runCli({ env }, ["registry", "list"])), "[]\n");
      ok(await runCli({ env }, ["registry", "create", "-n", "freshreg1"]));
      assert.equal(ok(await runCli({ env }, ["registry", "list", "--query", "[].name", "-o", "tsv"])), "freshreg1\n");
      assert.ok(fs.existsSync(path.join(dir, "wharf.db")));
      // The login server follows the deployment's public URL, or the base domain for host-style names.
      const show = async (extra: Record<string, string>) =>
        JSON.parse(ok(await runCli({ env: { ...env, ...extra } }, ["registry", "show", "-n", "freshreg1"])));
      const byUrl = await show({ WHARF_PUBLIC_URL: "https://registry.example.com" });
      assert.deepEqual([byUrl.loginServer, byUrl.repositoryPrefix], ["registry.example.com", "freshreg1/"]);
      const byDomain = await show({ WHARF_REGISTRY_DOMAIN: "example.test" });
      assert.deepEqual([byDomain.loginServer, byDomain.repositoryPrefix], ["freshreg1.example.test", ""]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
