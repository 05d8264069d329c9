import { db } from "../core/db";
import { invalid } from "../core/errors";
import { isValidTag } from "../core/names";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { manifestService } from "../registry/manifest-service";
import { isIndexType } from "../registry/media-types";
import type { LockFlags } from "../registry/locks";
import { configPlatforms } from "./config-platforms";
import { deleteBlockers } from "./delete-blockers";
import { loadRegistry } from "./load-registry";
import { allPages, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize, type Page } from "./paging";
import { checkRepositoryName, LOCK_SELECT, loadRepository, locksOf, repoRef, requireRepositoryRead } from "./repository-access";

/** Tags of a repository as people see them (portal and CLI); `/v2/<name>/tags/list` is the engine's tag service. */

export type TagSort = "updated" | "created" | "name";
export type TagRow = {
  name: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  /** Bytes of the manifest and what it references (for an index: its platform images). */
  size: bigint;
  /** `os/arch[/variant]` of each image of an index; an image's own (from its config); empty when unknown (artifacts). */
  platforms: string[];
  createdTime: Date;
  lastUpdateTime: Date;
  locks: LockFlags;
  /** Why deleting it would be refused (a lock on it or its repository, a write-once rule), or null. */
  deleteBlocked: string | null;
};

export type TagQuery = {
  registry: string;
  repository: string;
  sort?: TagSort;
  direction?: "asc" | "desc";
  filter?: string;
  /** false: skip reading image configs (a caller that prints no platforms); images' platforms are then []. */
  platforms?: boolean;
};

type TagCursor = { v: string | number; n: string };
const isTagCursor = (v: unknown): v is TagCursor =>
  !!v && typeof v === "object" && typeof (v as TagCursor).n === "string" && ["string", "number"].includes(typeof (v as TagCursor).v);

/**
 * Tags of a repository: newest first by default, or by creation or name, either
 * direction; `filter` matches anywhere in the tag. Keyset pagination on
 * (sort key, name), so page 500 costs what page 1 does.
 */
export async function listTagPage(actor: Actor, input: TagQuery & { cursor?: string | null; limit?: number }): Promise<Page<TagRow>> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  const sort: TagSort = input.sort ?? "updated";
  if (!["updated", "created", "name"].includes(sort)) throw invalid("Sort by updated, created or name.", "sort");
  const direction = input.direction ?? (sort === "name" ? "asc" : "desc");
  if (direction !== "asc" && direction !== "desc") throw invalid("Direction must be asc or desc.", "direction");
  const take = pageSize(input.limit);
  const filter = (input.filter ?? "").trim().slice(0, 128);
  const after = decodeCursor(input.cursor, isTagCursor);
  const field = sort === "updated" ? "updatedAt" : sort === "created" ? "createdAt" : "name";
  const cmp = direction === "desc" ? "lt" : "gt";

  const base = { repositoryId: repo.id, ...(filter ? { name: { contains: filter } } : {}) };
  let keyset = {};
  if (after) {
    if (field === "name") keyset = { name: { [cmp]: after.n } };
    else {
      const at = new Date(after.v as number);
      keyset = { OR: [{ [field]: { [cmp]: at } }, { [field]: at, name: { gt: after.n } }] };
    }
  }
  const orderBy = field === "name" ? [{ name: direction }] : [{ [field]: direction }, { name: "asc" as const }];
  const [rows, total] = await Promise.all([
    db().tag.findMany({
      where: { AND: [base, keyset] },
      orderBy,
      take: take + 1,
      select: {
        name: true,
        createdAt: true,
        updatedAt: true,
        ...LOCK_SELECT,
        manifest: { select: { id: true, digest: true, mediaType: true, artifactType: true, size: true, contentSize: true, configDigest: true } },
      },
    }),
    db().tag.count({ where: base }),
  ]);
  const pageRows = rows.slice(0, take);
  // Platforms for this page's rows only: an index's from its children, an image's from its (small) config blob.
  const [children, configPlatform, blockers] = await Promise.all([
    indexChildren(repo.id, pageRows.filter((r) => isIndexType(r.manifest.mediaType)).map((r) => r.manifest.id)),
    configPlatforms(input.platforms === false ? [] : pageRows.filter((r) => !isIndexType(r.manifest.mediaType)).map((r) => r.manifest.configDigest)),
    deleteBlockers(reg.id, repo),
  ]);
  const items = pageRows.map((t): TagRow => {
    const kids = children.get(t.manifest.id);
    const own = BigInt(t.manifest.size);
    return {
      name: t.name,
      digest: t.manifest.digest,
      mediaType: t.manifest.mediaType,
      artifactType: t.manifest.artifactType,
      size: kids ? own + kids.reduce((s, k) => s + k.size, BigInt(0)) : own + t.manifest.contentSize,
      platforms: kids ? kids.map((k) => k.platform).filter((p): p is string => !!p) : ownPlatform(t.manifest.configDigest, configPlatform),
      createdTime: t.createdAt,
      lastUpdateTime: t.updatedAt,
      locks: locksOf(t),
      deleteBlocked: blockers.tag(t),
    };
  });
  const last = pageRows[pageRows.length - 1];
  const nextCursor =
    rows.length > take && last
      ? encodeCursor({ v: field === "name" ? last.name : (field === "updatedAt" ? last.updatedAt : last.createdAt).getTime(), n: last.name })
      : null;
  return { items, nextCursor, total };
}

/** Every tag (or the first `top`) in the order asked for (`wharf repository show-tags`). */
export async function listTags(actor: Actor, input: TagQuery & { top?: number }): Promise<TagRow[]> {
  return allPages((cursor) => listTagPage(actor, { ...input, cursor, limit: Math.min(input.top ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) }), input.top);
}

function ownPlatform(configDigest: string | null, known: Map<string, string | null>): string[] {
  const platform = configDigest ? known.get(configDigest) : null;
  return platform ? [platform] : [];
}

export type IndexChild = { digest: string; platform: string | null; size: bigint; present: boolean };

/** The images of some indexes, with their full sizes: two queries for any number of indexes. */
export async function indexChildren(repositoryId: string, manifestIds: string[]): Promise<Map<string, IndexChild[]>> {
  const out = new Map<string, IndexChild[]>();
  if (!manifestIds.length) return out;
  const refs = await db().manifestReference.findMany({
    where: { manifestId: { in: manifestIds }, kind: "manifest" },
    select: { manifestId: true, digest: true, platform: true, size: true },
  });
  const kids = await db().manifest.findMany({
    where: { repositoryId, digest: { in: [...new Set(refs.map((r) => r.digest))] } },
    select: { digest: true, size: true, contentSize: true },
  });
  const sizeOf = new Map(kids.map((k) => [k.digest, BigInt(k.size) + k.contentSize]));
  for (const r of refs) {
    const list = out.get(r.manifestId) ?? [];
    list.push({ digest: r.digest, platform: r.platform, size: sizeOf.get(r.digest) ?? r.size, present: sizeOf.has(r.digest) });
    out.set(r.manifestId, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.platform ?? "~").localeCompare(b.platform ?? "~"));
  return out;
}

/** Deletes a tag (the manifest stays, reachable by digest), through the data plane's own service so locks hold. */
export async function deleteTag(actor: Actor, input: { registry: string; repository: string; tag: string }): Promise<{ deleted: true }> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireActor(actor, "deleteImage", { type: "repository", registry: reg.name, repository: name, resourceGroup: reg.resourceGroupName });
  if (!isValidTag(String(input.tag ?? ""))) throw invalid(`'${input.tag}' is not a valid tag.`, "tag");
  const repo = await loadRepository(reg, name);
  await manifestService.delete(repoRef(reg, repo), input.tag, { actor: actorName(actor) });
  return { deleted: true };
}
