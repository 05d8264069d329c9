#!/usr/bin/env node
// Fills a Wharf data dir with one large registry, for bench/portal and for trying
// the portal at scale:
//
//   node scripts/seed-scale.mjs --data-dir ./data-scale [--registry scale]
//        [--repositories 10000] [--tags 100000] [--big-tags 20000]
//
// One repository ("big/app") holds --big-tags tags; the rest are spread evenly
// over the other repositories. Every tag has its own small OCI image manifest
// (stored as real bytes, so manifest pages render), sharing one config and one
// layer blob per repository. Rows are written straight into SQLite in one
// transaction (Prisma would take minutes); migrations are applied first.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

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
const dbUrl = `file:${path.join(dataDir, "wharf.db")}`;
const migrate = await import(path.join(root, "scripts", "migrate.mjs"));
await migrate.deploy(dbUrl);

const db = new Database(path.join(dataDir, "wharf.db"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = OFF");
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

if (db.prepare(`SELECT 1 FROM "Registry" WHERE "name" = ?`).get(registry)) {
  console.error(`Registry ${registry} already exists in ${dataDir}; choose another --registry or a fresh --data-dir.`);
  process.exit(1);
}

const start = Date.now();
const q = {
  registry: db.prepare(`INSERT INTO "Registry" ("id","name","sku","createdAt","updatedAt") VALUES (?,?,?,?,?)`),
  repo: db.prepare(`INSERT INTO "Repository" ("id","registryId","name","createdAt","updatedAt") VALUES (?,?,?,?,?)`),
  blob: db.prepare(`INSERT OR IGNORE INTO "Blob" ("digest","size","createdAt") VALUES (?,?,?)`),
  link: db.prepare(`INSERT OR IGNORE INTO "BlobLink" ("repositoryId","digest","createdAt") VALUES (?,?,?)`),
  manifest: db.prepare(
    `INSERT INTO "Manifest" ("id","repositoryId","digest","mediaType","artifactType","size","configDigest","contentSize","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
  ),
  ref: db.prepare(`INSERT INTO "ManifestReference" ("manifestId","digest","kind","size") VALUES (?,?,?,?)`),
  tag: db.prepare(`INSERT INTO "Tag" ("id","repositoryId","name","manifestId","createdAt","updatedAt") VALUES (?,?,?,?,?,?)`),
};

const registryId = uuid();
const base = Date.now() - 400 * 24 * 3600 * 1000;
const perRepo = repoCount > 1 ? Math.floor((tagCount - bigTags) / (repoCount - 1)) : 0;
let extra = repoCount > 1 ? (tagCount - bigTags) % (repoCount - 1) : 0;
let written = 0;

const seed = db.transaction(() => {
  q.registry.run(registryId, registry, "Premium", iso(base), iso(base));
  for (let r = 0; r < repoCount; r++) {
    const name = r === 0 ? "big/app" : `team${String(r % 100).padStart(2, "0")}/service-${String(r).padStart(5, "0")}`;
    const repoId = uuid();
    const created = base + r * 60_000;
    q.repo.run(repoId, registryId, name, iso(created), iso(created));
    const config = writeBlob(Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", config: { Cmd: ["/app"], Env: [`REPO=${name}`] }, rootfs: { type: "layers", diff_ids: [] } })));
    const layer = writeBlob(Buffer.from(`layer of ${name}\n`));
    for (const b of [config, layer]) {
      q.blob.run(b.digest, b.size, iso(created));
      q.link.run(repoId, b.digest, iso(created));
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
      q.blob.run(m.digest, m.size, iso(at));
      q.manifest.run(id, repoId, m.digest, doc.mediaType, doc.config.mediaType, m.size, config.digest, config.size + layer.size, iso(at), iso(at));
      q.ref.run(id, config.digest, "blob", config.size);
      q.ref.run(id, layer.digest, "blob", layer.size);
      q.tag.run(uuid(), repoId, tag, id, iso(at), iso(at));
      written++;
    }
    if (r % 1000 === 999) process.stdout.write(`  ${r + 1} repositories, ${written} tags…\n`);
  }
});
seed();
db.close();
console.log(`Seeded registry ${registry} in ${dataDir}: ${repoCount} repositories, ${written} tags (big/app: ${bigTags}) in ${((Date.now() - start) / 1000).toFixed(1)} s.`);
