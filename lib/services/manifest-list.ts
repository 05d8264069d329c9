import { db } from "../core/db";
import { invalid } from "../core/errors";
import type { Actor } from "../auth/actor";
import { isIndexType } from "../registry/media-types";
import type { LockFlags } from "../registry/locks";
import { loadRegistry } from "./load-registry";
import { configPlatforms } from "./config-platforms";
import { deleteBlockers, type TagLocks } from "./delete-blockers";
import { allPages, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize, type Page } from "./paging";
import { checkRepositoryName, LOCK_SELECT, loadRepository, locksOf, requireRepositoryRead } from "./repository-access";
import { indexChildren } from "./tags";

/**
 * Every manifest of a repository, tagged or not (the portal's manifests view and
 * `wharf manifest list-metadata`). Untagged manifests are what a tag delete leaves
 * behind; listing them is how people find and delete them.
 */

export type ManifestOrder = "time_desc" | "time_asc";
export type ManifestFilter = "all" | "tagged" | "untagged";

export type ManifestRow = {
  digest: string;
  mediaType: string;
  artifactType: string | null;
  /** Tag names, sorted; empty for an untagged manifest. */
  tags: string[];
  /** Bytes of the manifest and what it references (for an index: its images, as the tag list counts). */
  size: bigint;
  /** For an index: its images' `os/arch[/variant]`. For an image: its own platform (from an index naming it, else its config), or null. */
  platforms: string[] | null;
  createdTime: Date;
  lastUpdateTime: Date;
  /** Last GET of the manifest, written from the data plane's counters every few seconds; null if never pulled. */
  lastPulledAt: Date | null;
  locks: LockFlags;
  /** An index of this repository lists it (a platform image): deleting it would break that index. */
  referencedByIndex: boolean;
  /** The manifest it refers to (a signature, SBOM…), or null. */
  subjectDigest: string | null;
  /** Why deleting it would be refused (a lock on it, its repository or a tag; a write-once tag), or null. */
  deleteBlocked: string | null;
};

export type ManifestQuery = { registry: string; repository: string; orderby?: ManifestOrder; filter?: ManifestFilter };

type Cursor = { t: number; d: string };
const isCursor = (v: unknown): v is Cursor => !!v && typeof v === "object" && typeof (v as Cursor).t === "number" && typeof (v as Cursor).d === "string";

/**
 * A page of manifests by last update time (newest first by default), keyset-paginated on
 * (updatedAt, digest) along the (repositoryId, updatedAt) index: page 500 costs what page 1 does.
 */
export async function listManifestPage(actor: Actor, input: ManifestQuery & { cursor?: string | null; limit?: number }): Promise<Page<ManifestRow>> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  const orderby = input.orderby ?? "time_desc";
  if (orderby !== "time_desc" && orderby !== "time_asc") throw invalid("Order by time_desc (newest first) or time_asc (oldest first).", "orderby");
  const filter = input.filter ?? "all";
  if (!["all", "tagged", "untagged"].includes(filter)) throw invalid("Filter must be all, tagged or untagged.", "filter");
  const take = pageSize(input.limit);
  const after = decodeCursor(input.cursor, isCursor);
  const direction = orderby === "time_desc" ? "desc" : "asc";
  const cmp = direction === "desc" ? "lt" : "gt";

  const base = { repositoryId: repo.id, ...(filter === "tagged" ? { tags: { some: {} } } : filter === "untagged" ? { tags: { none: {} } } : {}) };
  const keyset = after ? { OR: [{ updatedAt: { [cmp]: new Date(after.t) } }, { updatedAt: new Date(after.t), digest: { gt: after.d } }] } : {};
  const [rows, total] = await Promise.all([
    db().manifest.findMany({
      where: { AND: [base, keyset] },
      orderBy: [{ updatedAt: direction }, { digest: "asc" }],
      take: take + 1,
      select: {
        id: true,
        digest: true,
        mediaType: true,
        artifactType: true,
        size: true,
        contentSize: true,
        subjectDigest: true,
        configDigest: true,
        createdAt: true,
        updatedAt: true,
        lastPulledAt: true,
        ...LOCK_SELECT,
      },
    }),
    db().manifest.count({ where: base }),
  ]);
  const pageRows = rows.slice(0, take);
  const ids = pageRows.map((m) => m.id);
  const images = pageRows.filter((m) => !isIndexType(m.mediaType));
  const [tags, children, parents, blockers] = await Promise.all([
    ids.length ? db().tag.findMany({ where: { manifestId: { in: ids } }, orderBy: { name: "asc" }, select: { manifestId: true, name: true, writeEnabled: true, deleteEnabled: true } }) : [],
    indexChildren(repo.id, pageRows.filter((m) => isIndexType(m.mediaType)).map((m) => m.id)),
    pageRows.length
      ? db().manifestReference.findMany({
          where: { kind: "manifest", digest: { in: pageRows.map((m) => m.digest) }, manifest: { repositoryId: repo.id } },
          select: { digest: true, platform: true },
        })
      : [],
    deleteBlockers(reg.id, repo),
  ]);
  const tagsOf = new Map<string, TagLocks[]>();
  for (const t of tags) tagsOf.set(t.manifestId, [...(tagsOf.get(t.manifestId) ?? []), t]);
  const parentPlatform = new Map<string, string | null>();
  for (const p of parents) if (!parentPlatform.get(p.digest)) parentPlatform.set(p.digest, p.platform);
  const configPlatform = await configPlatforms(images.filter((m) => !parentPlatform.get(m.digest)).map((m) => m.configDigest));

  const items = pageRows.map((m): ManifestRow => {
    const kids = children.get(m.id);
    const own = BigInt(m.size);
    const platform = parentPlatform.get(m.digest) || (m.configDigest ? configPlatform.get(m.configDigest) : null) || null;
    return {
      digest: m.digest,
      mediaType: m.mediaType,
      artifactType: m.artifactType,
      tags: (tagsOf.get(m.id) ?? []).map((t) => t.name),
      size: kids ? own + kids.reduce((s, k) => s + k.size, BigInt(0)) : own + m.contentSize,
      platforms: isIndexType(m.mediaType) ? (kids ?? []).map((k) => k.platform).filter((p): p is string => !!p) : platform ? [platform] : null,
      createdTime: m.createdAt,
      lastUpdateTime: m.updatedAt,
      lastPulledAt: m.lastPulledAt,
      locks: locksOf(m),
      referencedByIndex: parentPlatform.has(m.digest),
      subjectDigest: m.subjectDigest,
      deleteBlocked: blockers.manifest(m, tagsOf.get(m.id) ?? []),
    };
  });
  const last = pageRows[pageRows.length - 1];
  return { items, nextCursor: rows.length > take && last ? encodeCursor({ t: last.updatedAt.getTime(), d: last.digest }) : null, total };
}

/** Every manifest (or the first `top`) in the order asked for (`wharf manifest list-metadata`). */
export async function listManifests(actor: Actor, input: ManifestQuery & { top?: number }): Promise<ManifestRow[]> {
  return allPages((cursor) => listManifestPage(actor, { ...input, cursor, limit: Math.min(input.top ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) }), input.top);
}
