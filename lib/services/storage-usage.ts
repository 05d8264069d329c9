import { db } from "../core/db";
import { Prisma } from "../generated/prisma/client";
import { requireActor, type Actor } from "../auth/actor";
import { loadRegistry, registryScope } from "./load-registry";
import { checkRepositoryName, loadRepository, requireRepositoryRead } from "./repository-access";

/**
 * Storage you can explain. A repository holds the blobs it links (layers, configs) and
 * the bytes of its manifests (stored as blobs under their digests). Bytes are stored once
 * per digest for the whole deployment, so a digest another repository also holds (in
 * any registry) is *shared*; the rest is *exclusive*: what deleting the repository frees.
 *
 * A repository's figures are stored (RepositoryUsage) and read back while they are current: triggers bump the row's
 * version when what it holds, or whether another repository shares it, changes, and figures older than
 * USAGE_MAX_AGE_MS are computed again in any case (a race between a first computation and a push, or a change the
 * triggers do not see, is wrong for that long at most). A page view then costs one indexed read, not a recount of
 * every manifest (a repository of 20,000 manifests took ~350 ms per view on PostgreSQL).
 *
 * Each computation is one aggregate query over a page of repositories (or one registry),
 * written in SQL that SQLite and PostgreSQL both run. Another holder in BlobLink is an
 * EXISTS probe on its digest index (it stops at the first, however popular a base layer);
 * Manifest has no index on digest alone, so its holders come from one set-based pass
 * (`digest IN (…)`), never a probe per row.
 */

export type StorageFigures = {
  /** Bytes of the distinct digests the repository holds: linked blobs plus its manifests. */
  bytes: bigint;
  /** Of those, bytes of digests some other repository also holds. */
  sharedBytes: bigint;
  /** Of those, bytes no other repository holds: what deleting the repository would free. */
  exclusiveBytes: bigint;
};

export type RegistryStorage = StorageFigures & {
  /** The registry's repositories' sizes added up: more than `bytes` when they share digests. */
  repositoryBytes: bigint;
  /** Here `sharedBytes` is bytes held by more than one repository (of this registry or another), and
   *  `exclusiveBytes` bytes held by no repository outside this registry (what deleting the registry frees). */
};

/** Stored figures older than this are computed again, whatever their version says. */
const USAGE_MAX_AGE_MS = 10 * 60_000;

const ZERO: StorageFigures = { bytes: BigInt(0), sharedBytes: BigInt(0), exclusiveBytes: BigInt(0) };

// SUM is numeric (a Decimal) on PostgreSQL, an integer on SQLite: read it through its text.
const big = (v: unknown): bigint => (v === null || v === undefined ? BigInt(0) : BigInt(String(v).split(".")[0]));

/**
 * Figures for some repositories, by repository id, for callers that have already checked
 * the caller may see them (the repository list). Repositories holding nothing get zeros.
 */
export async function storageOfRepositories(repositoryIds: string[]): Promise<Map<string, StorageFigures>> {
  const out = new Map<string, StorageFigures>(repositoryIds.map((id) => [id, ZERO]));
  if (!repositoryIds.length) return out;
  const fresh = Date.now() - USAGE_MAX_AGE_MS;
  let stored = await db().repositoryUsage.findMany({ where: { repositoryId: { in: repositoryIds } } });
  const current = (u: (typeof stored)[number]) => u.computedVersion === u.version && !!u.computedAt && u.computedAt.getTime() > fresh;
  for (const u of stored) if (current(u)) out.set(u.repositoryId, { bytes: u.bytes, sharedBytes: u.sharedBytes, exclusiveBytes: u.bytes - u.sharedBytes });
  const due = repositoryIds.filter((id) => !stored.some((u) => u.repositoryId === id && current(u)));
  if (!due.length) return out;
  // The row exists before the figures are computed, so a change committed meanwhile bumps its version and the
  // figures written below are seen as stale at once. Rows of repositories deleted meanwhile are not created.
  if (stored.length < repositoryIds.length) {
    await db().$executeRaw`INSERT INTO "RepositoryUsage" ("repositoryId") SELECT "id" FROM "Repository" WHERE "id" IN (${Prisma.join(due)}) ON CONFLICT DO NOTHING`;
    stored = await db().repositoryUsage.findMany({ where: { repositoryId: { in: due } } });
  }
  const versions = new Map(stored.map((u) => [u.repositoryId, u.version]));
  const computed = await computeFigures(due);
  for (const id of due) out.set(id, computed.get(id) ?? ZERO);
  // One statement for the page, and only where the version is still the one read before counting.
  const rows = due.filter((id) => versions.has(id)).map((id) => {
    const f = out.get(id)!;
    return Prisma.sql`(${id}, CAST(${versions.get(id)} AS INTEGER), CAST(${f.bytes.toString()} AS BIGINT), CAST(${f.sharedBytes.toString()} AS BIGINT))`;
  });
  if (rows.length) {
    await db().$executeRaw`
      WITH "v" ("id", "version", "bytes", "sharedBytes") AS (VALUES ${Prisma.join(rows)})
      UPDATE "RepositoryUsage" SET "bytes" = "v"."bytes", "sharedBytes" = "v"."sharedBytes", "computedVersion" = "v"."version", "computedAt" = ${new Date()}
        FROM "v" WHERE "RepositoryUsage"."repositoryId" = "v"."id" AND "RepositoryUsage"."version" = "v"."version"`;
  }
  return out;
}

/** Figures counted from the holdings themselves. */
async function computeFigures(repositoryIds: string[]): Promise<Map<string, StorageFigures>> {
  const out = new Map<string, StorageFigures>();
  const ids = Prisma.join(repositoryIds);
  const rows = await db().$queryRaw<{ repositoryId: string; bytes: unknown; sharedBytes: unknown }[]>`
    WITH "held" AS (
      SELECT l."repositoryId" AS "rid", l."digest" AS "digest", b."size" AS "size"
        FROM "BlobLink" l JOIN "Blob" b ON b."digest" = l."digest"
       WHERE l."repositoryId" IN (${ids})
      UNION
      SELECT m."repositoryId", m."digest", m."size" FROM "Manifest" m WHERE m."repositoryId" IN (${ids})
    ),
    "manifestHolders" AS (
      SELECT m."digest" AS "digest", COUNT(*) AS "n", MIN(m."repositoryId") AS "one" FROM "Manifest" m
       WHERE m."digest" IN (SELECT "digest" FROM "held") GROUP BY m."digest"
    )
    SELECT h."rid" AS "repositoryId",
           SUM(h."size") AS "bytes",
           SUM(CASE WHEN EXISTS (SELECT 1 FROM "BlobLink" o WHERE o."digest" = h."digest" AND o."repositoryId" <> h."rid")
                      OR mh."n" > 1 OR mh."one" <> h."rid"
                    THEN h."size" ELSE 0 END) AS "sharedBytes"
      FROM "held" h LEFT JOIN "manifestHolders" mh ON mh."digest" = h."digest"
     GROUP BY h."rid"`;
  for (const r of rows) {
    const bytes = big(r.bytes);
    const sharedBytes = big(r.sharedBytes);
    out.set(r.repositoryId, { bytes, sharedBytes, exclusiveBytes: bytes - sharedBytes });
  }
  return out;
}

/** One repository's figures (`wharf repository show`). Needs read on the repository. */
export async function repositoryStorage(actor: Actor, input: { registry: string; repository: string }): Promise<StorageFigures> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  return (await storageOfRepositories([repo.id])).get(repo.id) ?? ZERO;
}

/** The registry's totals (its overview). Needs read on the registry: the totals speak of every repository. */
export async function registryStorage(actor: Actor, input: { registry: string }): Promise<RegistryStorage> {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().$queryRaw<{ bytes: unknown; sharedBytes: unknown; exclusiveBytes: unknown; repositoryBytes: unknown }[]>`
    WITH "held" AS (
      SELECT l."repositoryId" AS "rid", l."digest" AS "digest", b."size" AS "size"
        FROM "BlobLink" l JOIN "Blob" b ON b."digest" = l."digest" JOIN "Repository" r ON r."id" = l."repositoryId"
       WHERE r."registryId" = ${reg.id}
      UNION ALL
      SELECT m."repositoryId", m."digest", m."size"
        FROM "Manifest" m JOIN "Repository" r ON r."id" = m."repositoryId"
       WHERE r."registryId" = ${reg.id}
    ),
    "digests" AS (
      SELECT "digest", MAX("size") AS "size", COUNT(DISTINCT "rid") AS "n" FROM "held" GROUP BY "digest"
    ),
    "outside" AS (
      SELECT d."digest" AS "digest" FROM "digests" d
       WHERE EXISTS (SELECT 1 FROM "BlobLink" o JOIN "Repository" r ON r."id" = o."repositoryId" WHERE o."digest" = d."digest" AND r."registryId" <> ${reg.id})
      UNION
      SELECT m."digest" FROM "Manifest" m JOIN "Repository" r ON r."id" = m."repositoryId"
       WHERE r."registryId" <> ${reg.id} AND m."digest" IN (SELECT "digest" FROM "digests")
    )
    SELECT SUM(d."size") AS "bytes",
           SUM(CASE WHEN d."n" > 1 OR o."digest" IS NOT NULL THEN d."size" ELSE 0 END) AS "sharedBytes",
           SUM(CASE WHEN o."digest" IS NULL THEN d."size" ELSE 0 END) AS "exclusiveBytes",
           SUM(d."size" * d."n") AS "repositoryBytes"
      FROM "digests" d LEFT JOIN "outside" o ON o."digest" = d."digest"`;
  const r = rows[0];
  return { bytes: big(r?.bytes), sharedBytes: big(r?.sharedBytes), exclusiveBytes: big(r?.exclusiveBytes), repositoryBytes: big(r?.repositoryBytes) };
}
