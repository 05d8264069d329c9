import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseUrlOf } from "./backends";
import { queryPostgres } from "./test-postgres";

/**
 * Everything a refused request must leave alone: every row of every table that
 * holds registry content, access control or settings (the activity log and the
 * daily counters are left out: they record attempts), and every file under the
 * data dir except the database itself. Compared whole, so a refused request
 * that moves a tag, touches `updatedAt` or leaves a temporary file is caught.
 */
const TABLES = [
  "User",
  "ResourceGroup",
  "Registry",
  "ServicePrincipal",
  "RoleAssignment",
  "ScopeMap",
  "RegistryToken",
  "Repository",
  "Blob",
  "BlobLink",
  "Manifest",
  "ManifestReference",
  "Tag",
  "Upload",
];

export type Snapshot = Set<string>;
export type SnapshotDiff = { added: string[]; removed: string[] };

export async function snapshot(dataDir: string): Promise<Snapshot> {
  const out = new Set<string>();
  // A manifest's lastPulledAt is written by the pull counters' flush every few seconds, for pulls made earlier
  // (a case's own successful GET, or a previous case's): a record of use like the counters, not content.
  const line = (table: string, row: unknown) =>
    `${table} ${JSON.stringify(row, (k, v) => (k === "lastPulledAt" ? undefined : typeof v === "bigint" ? String(v) : v))}`;
  const url = databaseUrlOf(dataDir);
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      for (const table of TABLES) for (const row of db.prepare(`SELECT * FROM "${table}"`).all()) out.add(line(table, row));
    } finally {
      db.close();
    }
  } else {
    for (const table of TABLES) for (const row of await queryPostgres(url, `SELECT * FROM "${table}"`)) out.add(line(table, row));
  }
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(dataDir, p);
      if (/^wharf\.db(-wal|-shm|-journal)?$/.test(rel)) continue;
      if (e.isDirectory()) {
        // An empty directory is debris too (an upload dir whose file was removed).
        if (fs.readdirSync(p).length === 0) out.add(`dir ${rel}/`);
        walk(p);
      } else out.add(`file ${rel} ${fs.statSync(p).size}`);
    }
  };
  walk(dataDir);
  return out;
}

export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  return { added: [...after].filter((l) => !before.has(l)), removed: [...before].filter((l) => !after.has(l)) };
}

export function isUnchanged(d: SnapshotDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0;
}

export function describeDiff(d: SnapshotDiff): string {
  const cut = (l: string) => (l.length > 300 ? `${l.slice(0, 300)}…` : l);
  return [...d.added.map((l) => `  + ${cut(l)}`), ...d.removed.map((l) => `  - ${cut(l)}`)].slice(0, 20).join("\n");
}
