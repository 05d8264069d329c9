#!/usr/bin/env node
// Fills a Wharf data dir with one large registry, for bench/portal and for trying
// the portal at scale:
//
//   node scripts/seed-scale.mjs --data-dir ./data-scale [--registry scale]
//        [--repositories 10000] [--tags 100000] [--big-tags 20000]
//        [--database-url postgres://…]
//
// One repository ("big/app") holds --big-tags tags; the rest are spread evenly
// over the other repositories. Every tag has its own small OCI image manifest
// (stored as real bytes, so manifest pages render), sharing one config and one
// layer blob per repository. Rows are written straight into the database in one
// transaction (Prisma would take minutes): SQLite in the data dir, or the
// PostgreSQL database --database-url names (manifest bytes still go to the data
// dir's blobs, as the filesystem driver stores them). Migrations are applied first.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dataDir = path.resolve(args["data-dir"] ?? "data-scale");
const registry = args.registry ?? "scale";
const repoCount = Number(args.repositories ?? 10000);
const tagCount = Number(args.tags ?? 100000);
const bigTags = Math.min(Number(args["big-tags"] ?? 20000), tagCount);
if (!/^[a-z0-9]{5,50}$/.test(registry)) throw new Error("--registry: 5–50 lower-case letters and digits");

fs.mkdirSync(dataDir, { recursive: true });
const dbUrl = args["database-url"] ?? `file:${path.join(dataDir, "wharf.db")}`;
const migrate = await import(path.join(root, "scripts", "migrate.mjs"));
await migrate.deploy(dbUrl);

const blobsDir = path.join(dataDir, "blobs");
const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
const sha = (b) => crypto.createHash("sha256").update(b).digest("hex");
const uuid = () => crypto.randomUUID();

function writeBlob(bytes) {
  const hex = sha(bytes);
  const dir = path.join(blobsDir, "sha256", hex.slice(0, 2), hex);
  if (!fs.existsSync(path.join(dir, "data"))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "data"), bytes);
  }
  return { digest: `sha256:${hex}`, size: bytes.length };
}

/** Columns of each table written, in foreign-key order; `ignore`: rows that may already exist are skipped. */
const TABLES = {
  registry: { table: "Registry", cols: ["id", "name", "sku", "createdAt", "updatedAt"] },
  repo: { table: "Repository", cols: ["id", "registryId", "name", "createdAt", "updatedAt"] },
  blob: { table: "Blob", cols: ["digest", "size", "createdAt"], ignore: true },
  link: { table: "BlobLink", cols: ["repositoryId", "digest", "createdAt"], ignore: true },
  manifest: { table: "Manifest", cols: ["id", "repositoryId", "digest", "mediaType", "artifactType", "size", "configDigest", "contentSize", "createdAt", "updatedAt"] },
  ref: { table: "ManifestReference", cols: ["manifestId", "digest", "kind", "size"] },
  tag: { table: "Tag", cols: ["id", "repositoryId", "name", "manifestId", "createdAt", "updatedAt"] },
};
const quoted = (cols) => cols.map((c) => `"${c}"`).join(",");

/** SQLite: prepared statements in one transaction. */
function sqliteSink() {
  const conn = new Database(dbUrl.slice("file:".length));
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = OFF");
  const stmts = Object.fromEntries(
    Object.entries(TABLES).map(([k, t]) => [
      k,
      conn.prepare(`INSERT ${t.ignore ? "OR IGNORE " : ""}INTO "${t.table}" (${quoted(t.cols)}) VALUES (${t.cols.map(() => "?").join(",")})`),
    ]),
  );
  return {
    exists: async (name) => !!conn.prepare(`SELECT 1 FROM "Registry" WHERE "name" = ?`).get(name),
    begin: async () => conn.exec("BEGIN"),
    row: async (kind, values) => void stmts[kind].run(...values),
    commit: async () => conn.exec("COMMIT"),
    close: async () => conn.close(),
  };
}

/** PostgreSQL: rows buffered and written 1,000 at a time, all tables flushed in foreign-key order. */
function postgresSink() {
  const client = new pg.Client({ connectionString: dbUrl });
  const buffers = Object.fromEntries(Object.keys(TABLES).map((k) => [k, []]));
  let pending = 0;
  const flush = async () => {
    for (const [kind, t] of Object.entries(TABLES)) {
      const rows = buffers[kind];
      if (!rows.length) continue;
      const values = [];
      const tuples = rows.map((r) => `(${r.map((v) => (values.push(v), `$${values.length}`)).join(",")})`);
      await client.query(`INSERT INTO "${t.table}" (${quoted(t.cols)}) VALUES ${tuples.join(",")}${t.ignore ? " ON CONFLICT DO NOTHING" : ""}`, values);
      buffers[kind] = [];
    }
    pending = 0;
  };
  return {
    exists: async (name) => {
      await client.connect();
      return (await client.query(`SELECT 1 FROM "Registry" WHERE "name" = $1`, [name])).rowCount > 0;
    },
    begin: async () => void (await client.query("BEGIN")),
    row: async (kind, values) => {
      buffers[kind].push(values);
      // PostgreSQL takes at most 65,535 parameters per statement: 1,000 rows of 10 columns stay far below.
      if (++pending >= 1000) await flush();
    },
    commit: async () => {
      await flush();
      await client.query("COMMIT");
      // What autovacuum does within a minute or so of a bulk load: planner statistics and the visibility map
      // (without it, index-only counts visit every heap row). Measure the steady state, not the first minute.
      await client.query("VACUUM ANALYZE");
    },
    close: async () => client.end(),
  };
}

const sink = dbUrl.startsWith("file:") ? sqliteSink() : postgresSink();
if (await sink.exists(registry)) {
  console.error(`Registry ${registry} already exists in ${dbUrl.startsWith("file:") ? dataDir : "that database"}; choose another --registry or a fresh database.`);
  process.exit(1);
}

const start = Date.now();
const registryId = uuid();
const base = Date.now() - 400 * 24 * 3600 * 1000;
const perRepo = repoCount > 1 ? Math.floor((tagCount - bigTags) / (repoCount - 1)) : 0;
let extra = repoCount > 1 ? (tagCount - bigTags) % (repoCount - 1) : 0;
let written = 0;

await sink.begin();
{
  await sink.row("registry", [registryId, registry, "Premium", iso(base), iso(base)]);
  for (let r = 0; r < repoCount; r++) {
    const name = r === 0 ? "big/app" : `team${String(r % 100).padStart(2, "0")}/service-${String(r).padStart(5, "0")}`;
    const repoId = uuid();
    const created = base + r * 60_000;
    await sink.row("repo", [repoId, registryId, name, iso(created), iso(created)]);
    const config = writeBlob(Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", config: { Cmd: ["/app"], Env: [`REPO=${name}`] }, rootfs: { type: "layers", diff_ids: [] } })));
    const layer = writeBlob(Buffer.from(`layer of ${name}\n`));
    for (const b of [config, layer]) {
      await sink.row("blob", [b.digest, b.size, iso(created)]);
      await sink.row("link", [repoId, b.digest, iso(created)]);
    }
    const n = r === 0 ? bigTags : perRepo + (extra-- > 0 ? 1 : 0);
    for (let t = 0; t < n; t++) {
      const tag = `v${Math.floor(t / 100)}.${t % 100}.0`;
      const doc = {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
        annotations: { "org.opencontainers.image.version": tag, "org.opencontainers.image.source": name },
      };
      const m = writeBlob(Buffer.from(JSON.stringify(doc)));
      const id = uuid();
      const at = created + (t + 1) * 1000;
      await sink.row("blob", [m.digest, m.size, iso(at)]);
      await sink.row("manifest", [id, repoId, m.digest, doc.mediaType, doc.config.mediaType, m.size, config.digest, config.size + layer.size, iso(at), iso(at)]);
      await sink.row("ref", [id, config.digest, "blob", config.size]);
      await sink.row("ref", [id, layer.digest, "blob", layer.size]);
      await sink.row("tag", [uuid(), repoId, tag, id, iso(at), iso(at)]);
      written++;
    }
    if (r % 1000 === 999) process.stdout.write(`  ${r + 1} repositories, ${written} tags…\n`);
  }
}
await sink.commit();
await sink.close();
console.log(`Seeded registry ${registry} in ${dataDir}: ${repoCount} repositories, ${written} tags (big/app: ${bigTags}) in ${((Date.now() - start) / 1000).toFixed(1)} s.`);
