import Database from "better-sqlite3";
import { context, slot, type Context } from "../core/context";
import { db } from "../core/db";
import { changeVersion } from "./change-feed";

/**
 * The reads on every pull (tag → manifest, manifest by digest, blob link, name
 * → id). Measured: a Prisma query costs ~0.3 ms of CPU here, a prepared
 * better-sqlite3 statement a few µs, so on SQLite these reads use their own
 * read-only connection (WAL: sees every committed write). PostgreSQL uses
 * Prisma, memoised until the change feed says another node (or this one)
 * changed what the answers are made of. All writes stay in Prisma transactions.
 */
export interface HotReads {
  registryId(name: string): Promise<string | null>;
  repositoryId(registryId: string, name: string): Promise<string | null>;
  manifestByTag(repositoryId: string, tag: string): Promise<ManifestRow | null>;
  manifestByDigest(repositoryId: string, digest: string): Promise<ManifestRow | null>;
  linkedBlobSize(repositoryId: string, digest: string): Promise<number | null>;
  /** False when the repository is locked against reads (readEnabled=false); true when unlocked or unknown. */
  repositoryReadable(repositoryId: string): Promise<boolean>;
}

/** `readLock`: which read lock forbids pulling it (repository, tag or manifest), read in the same query. */
export type ManifestRow = Readonly<{ digest: string; mediaType: string; size: number; readLock?: "repository" | "tag" | "manifest" | null }>;

type LockCols = { repoRead: number | boolean; tagRead?: number | boolean; manifestRead: number | boolean };
function withReadLock<T extends LockCols>(row: T | undefined): ManifestRow | null {
  if (!row) return null;
  const { repoRead, tagRead, manifestRead, ...m } = row;
  const readLock = !repoRead ? "repository" : tagRead !== undefined && !tagRead ? "tag" : !manifestRead ? "manifest" : null;
  return { ...(m as unknown as ManifestRow), readLock };
}

class SqliteHotReads implements HotReads {
  private conn: Database.Database;
  private q;
  /**
   * Answers memoised until any other connection commits: `PRAGMA data_version` changes exactly then (any process,
   * any write: a push, a tag delete from the CLI, a lock set in the portal), and costs far less than the joins.
   */
  private memo = new Map<string, ManifestRow | number | boolean | null>();
  private memoVersion = -1;
  constructor(file: string) {
    this.conn = new Database(file, { readonly: true, fileMustExist: true });
    this.conn.pragma("busy_timeout = 5000");
    this.q = {
      dataVersion: this.conn.prepare<[], number>("PRAGMA data_version").pluck(),
      registry: this.conn.prepare<[string], { id: string }>(`SELECT "id" FROM "Registry" WHERE "name" = ?`),
      repository: this.conn.prepare<[string, string], { id: string }>(`SELECT "id" FROM "Repository" WHERE "registryId" = ? AND "name" = ?`),
      // Read locks come with the row (a primary-key join), so a pull stays one query.
      byTag: this.conn.prepare<[string, string], ManifestRow & LockCols>(
        `SELECT m."digest", m."mediaType", m."size", r."readEnabled" AS "repoRead", t."readEnabled" AS "tagRead", m."readEnabled" AS "manifestRead"
         FROM "Tag" t JOIN "Manifest" m ON m."id" = t."manifestId" JOIN "Repository" r ON r."id" = t."repositoryId"
         WHERE t."repositoryId" = ? AND t."name" = ?`,
      ),
      byDigest: this.conn.prepare<[string, string], ManifestRow & LockCols>(
        `SELECT m."digest", m."mediaType", m."size", r."readEnabled" AS "repoRead", m."readEnabled" AS "manifestRead"
         FROM "Manifest" m JOIN "Repository" r ON r."id" = m."repositoryId" WHERE m."repositoryId" = ? AND m."digest" = ?`,
      ),
      repoReadable: this.conn.prepare<[string], number>(`SELECT "readEnabled" FROM "Repository" WHERE "id" = ?`).pluck(),
      blob: this.conn.prepare<[string, string], { size: number }>(
        `SELECT b."size" FROM "BlobLink" l JOIN "Blob" b ON b."digest" = l."digest" WHERE l."repositoryId" = ? AND l."digest" = ?`,
      ),
    };
  }
  async registryId(name: string) {
    return this.q.registry.get(name)?.id ?? null;
  }
  async repositoryId(registryId: string, name: string) {
    return this.q.repository.get(registryId, name)?.id ?? null;
  }
  private memoised<T extends ManifestRow | number | boolean | null>(key: string, read: () => T): T {
    const version = this.q.dataVersion.get()!;
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.memoVersion = version;
    }
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = read();
    if (this.memo.size >= 100_000) this.memo.clear();
    this.memo.set(key, value);
    return value;
  }
  async manifestByTag(repositoryId: string, tag: string) {
    return this.memoised(`t\0${repositoryId}\0${tag}`, () => withReadLock(this.q.byTag.get(repositoryId, tag)));
  }
  async manifestByDigest(repositoryId: string, digest: string) {
    return this.memoised(`m\0${repositoryId}\0${digest}`, () => withReadLock(this.q.byDigest.get(repositoryId, digest)));
  }
  async repositoryReadable(repositoryId: string) {
    return this.memoised(`r\0${repositoryId}`, () => this.q.repoReadable.get(repositoryId) !== 0);
  }
  async linkedBlobSize(repositoryId: string, digest: string) {
    return this.memoised(`b\0${repositoryId}\0${digest}`, () => {
      const row = this.q.blob.get(repositoryId, digest);
      return row ? Number(row.size) : null;
    });
  }
}

const prismaHotReads: HotReads = {
  async registryId(name) {
    return (await db().registry.findUnique({ where: { name }, select: { id: true } }))?.id ?? null;
  },
  async repositoryId(registryId, name) {
    return (await db().repository.findUnique({ where: { registryId_name: { registryId, name } }, select: { id: true } }))?.id ?? null;
  },
  async manifestByTag(repositoryId, tag) {
    const t = await db().tag.findUnique({
      where: { repositoryId_name: { repositoryId, name: tag } },
      select: {
        readEnabled: true,
        repository: { select: { readEnabled: true } },
        manifest: { select: { digest: true, mediaType: true, size: true, readEnabled: true } },
      },
    });
    if (!t) return null;
    const { readEnabled: manifestRead, ...m } = t.manifest;
    return withReadLock({ ...m, repoRead: t.repository.readEnabled, tagRead: t.readEnabled, manifestRead });
  },
  async manifestByDigest(repositoryId, digest) {
    const m = await db().manifest.findUnique({
      where: { repositoryId_digest: { repositoryId, digest } },
      select: { digest: true, mediaType: true, size: true, readEnabled: true, repository: { select: { readEnabled: true } } },
    });
    if (!m) return null;
    const { readEnabled: manifestRead, repository, ...row } = m;
    return withReadLock({ ...row, repoRead: repository.readEnabled, manifestRead });
  },
  async repositoryReadable(repositoryId) {
    return (await db().repository.findUnique({ where: { id: repositoryId }, select: { readEnabled: true } }))?.readEnabled !== false;
  },
  async linkedBlobSize(repositoryId, digest) {
    const l = await db().blobLink.findUnique({ where: { repositoryId_digest: { repositoryId, digest } }, select: { blob: { select: { size: true } } } });
    return l ? Number(l.blob.size) : null;
  },
};

/**
 * PostgreSQL: Prisma's answers memoised per change version (change-feed.ts: moved by a trigger's NOTIFY on any node's
 * commit, at most 2 s late when notifications are lost). The version is read before the query and checked again
 * after it, so an answer read while a change committed is not kept.
 */
class NotifiedHotReads implements HotReads {
  private memo = new Map<string, ManifestRow | number | boolean | null>();
  private memoVersion = -1;
  constructor(private readonly ctx: Context) {}
  registryId(name: string) {
    return prismaHotReads.registryId(name);
  }
  repositoryId(registryId: string, name: string) {
    return prismaHotReads.repositoryId(registryId, name);
  }
  private async memoised<T extends ManifestRow | number | boolean | null>(key: string, read: () => Promise<T>): Promise<T> {
    const version = changeVersion("reads", this.ctx);
    if (version === null) return read(); // the feed cannot vouch for a memo
    if (version !== this.memoVersion) {
      this.memo.clear();
      this.memoVersion = version;
    }
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = await read();
    if (changeVersion("reads", this.ctx) === version && this.memoVersion === version) {
      if (this.memo.size >= 100_000) this.memo.clear();
      this.memo.set(key, value);
    }
    return value;
  }
  manifestByTag(repositoryId: string, tag: string) {
    return this.memoised(`t\0${repositoryId}\0${tag}`, () => prismaHotReads.manifestByTag(repositoryId, tag));
  }
  manifestByDigest(repositoryId: string, digest: string) {
    return this.memoised(`m\0${repositoryId}\0${digest}`, () => prismaHotReads.manifestByDigest(repositoryId, digest));
  }
  repositoryReadable(repositoryId: string) {
    return this.memoised(`r\0${repositoryId}`, () => prismaHotReads.repositoryReadable(repositoryId));
  }
  linkedBlobSize(repositoryId: string, digest: string) {
    return this.memoised(`b\0${repositoryId}\0${digest}`, () => prismaHotReads.linkedBlobSize(repositoryId, digest));
  }
}

const hotReadsSlot = slot<HotReads>("hotReads", (ctx) => {
  const url = ctx.config.databaseUrl;
  if (ctx.config.databaseKind === "postgresql") return new NotifiedHotReads(ctx);
  if (!url.startsWith("file:")) return prismaHotReads;
  try {
    return new SqliteHotReads(url.slice("file:".length));
  } catch {
    return prismaHotReads; // no database file yet (first start before migrations): Prisma works either way
  }
});

export function hotReads(): HotReads {
  return context().get(hotReadsSlot);
}
