import { db } from "../core/db";
import type { Actor } from "../auth/actor";
import type { LockFlags } from "../registry/locks";
import { loadRegistry } from "./load-registry";
import { allPages, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSize, type Page } from "./paging";
import { checkRepositoryName, LOCK_SELECT, loadRepository, locksOf, requireRepositoryRead, visibleOrDenied } from "./repository-access";
import { storageOfRepositories, type StorageFigures } from "./storage-usage";

/**
 * The repositories of a registry as people see them (portal and CLI), filtered to
 * what the caller may see. A page costs a fixed number of queries whatever its size,
 * and walks the (registryId, name) index in order, so it stays quick at 10,000
 * repositories. The data plane's `_catalog` is the engine's own (lib/registry/catalog.ts):
 * it follows the OCI rules (only repositories with manifests, list locks hide).
 */

export type RepositoryRow = {
  name: string;
  tagCount: number;
  manifestCount: number;
  /** Bytes of the distinct blobs the repository links (layers and configs) and of its manifests. */
  size: bigint;
  /** `size`, and how much of it other repositories share or only this one holds. */
  storage: StorageFigures;
  createdTime: Date;
  /** Latest change to the repository, its tags or its manifests. */
  lastUpdateTime: Date;
  locks: LockFlags;
};

export type RepositoryInfo = {
  registry: string;
  name: string;
  tagCount: number;
  manifestCount: number;
  createdTime: Date;
  lastUpdateTime: Date;
  locks: LockFlags;
  storage: StorageFigures;
};

const isString = (v: unknown): v is string => typeof v === "string";

/** Repositories of a registry by name, `search` matching anywhere in the name. */
export async function listRepositoryPage(
  actor: Actor,
  input: { registry: string; search?: string; cursor?: string | null; limit?: number },
): Promise<Page<RepositoryRow>> {
  const reg = await loadRegistry(input.registry);
  const v = await visibleOrDenied(actor, reg);
  const take = pageSize(input.limit);
  const search = (input.search ?? "").trim().toLowerCase().slice(0, 255);
  const after = decodeCursor(input.cursor, isString);
  const client = db();
  const filters = [...(v.all ? [] : [{ name: { in: v.names } }]), ...(search ? [{ name: { contains: search } }] : [])];
  const where = { registryId: reg.id, AND: filters };
  const [rows, total] = await Promise.all([
    client.repository.findMany({
      where: { registryId: reg.id, AND: [...filters, ...(after !== null ? [{ name: { gt: after } }] : [])] },
      orderBy: { name: "asc" },
      take: take + 1,
      select: { id: true, name: true, createdAt: true, updatedAt: true, ...LOCK_SELECT },
    }),
    client.repository.count({ where }),
  ]);
  const pageRows = rows.slice(0, take);
  const ids = pageRows.map((r) => r.id);
  // Three grouped queries for the whole page, each on an index led by repositoryId.
  const [tags, manifests, sizes] = ids.length
    ? await Promise.all([
        client.tag.groupBy({ by: ["repositoryId"], where: { repositoryId: { in: ids } }, _count: { _all: true }, _max: { updatedAt: true } }),
        client.manifest.groupBy({ by: ["repositoryId"], where: { repositoryId: { in: ids } }, _count: { _all: true }, _max: { updatedAt: true } }),
        storageOfRepositories(ids),
      ])
    : [[], [], new Map<string, StorageFigures>()];
  const tagBy = new Map(tags.map((t) => [t.repositoryId, t]));
  const manBy = new Map(manifests.map((m) => [m.repositoryId, m]));
  const items = pageRows.map((r): RepositoryRow => {
    const t = tagBy.get(r.id);
    const m = manBy.get(r.id);
    const storage = sizes.get(r.id)!;
    return {
      name: r.name,
      tagCount: t?._count._all ?? 0,
      manifestCount: m?._count._all ?? 0,
      size: storage.bytes,
      storage,
      createdTime: r.createdAt,
      lastUpdateTime: latest(r.updatedAt, t?._max.updatedAt, m?._max.updatedAt),
      locks: locksOf(r),
    };
  });
  return { items, nextCursor: rows.length > take ? encodeCursor(pageRows[pageRows.length - 1].name) : null, total };
}

/** Every repository the caller may see, by name (`wharf repository list`). */
export async function listRepositories(actor: Actor, input: { registry: string; search?: string }): Promise<RepositoryRow[]> {
  return allPages((cursor) => listRepositoryPage(actor, { ...input, cursor, limit: MAX_PAGE_SIZE }));
}

/** Latest change to a repository, its tags or its manifests. */
function latest(...times: (Date | null | undefined)[]): Date {
  return new Date(Math.max(...times.filter((d): d is Date => !!d).map((d) => d.getTime())));
}

/** Names of repositories for autocomplete (scope-map editor), by prefix. */
export async function suggestRepositories(actor: Actor, input: { registry: string; prefix?: string; limit?: number }): Promise<string[]> {
  const reg = await loadRegistry(input.registry);
  const v = await visibleOrDenied(actor, reg);
  const prefix = (input.prefix ?? "").trim().toLowerCase();
  const rows = await db().repository.findMany({
    where: { registryId: reg.id, ...(prefix ? { name: { startsWith: prefix } } : {}), ...(v.all ? {} : { AND: [{ name: { in: v.names } }] }) },
    orderBy: { name: "asc" },
    take: Math.min(input.limit ?? 20, 100),
    select: { name: true },
  });
  return rows.map((r) => r.name);
}

export async function getRepository(actor: Actor, input: { registry: string; repository: string }): Promise<RepositoryInfo> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  const where = { repositoryId: repo.id };
  const [tags, manifests, updated, storage] = await Promise.all([
    db().tag.aggregate({ where, _count: { _all: true }, _max: { updatedAt: true } }),
    db().manifest.aggregate({ where, _count: { _all: true }, _max: { updatedAt: true } }),
    db().repository.findUniqueOrThrow({ where: { id: repo.id }, select: { updatedAt: true } }),
    storageOfRepositories([repo.id]),
  ]);
  return {
    registry: reg.name,
    name: repo.name,
    tagCount: tags._count._all,
    manifestCount: manifests._count._all,
    createdTime: repo.createdAt,
    lastUpdateTime: latest(updated.updatedAt, tags._max.updatedAt, manifests._max.updatedAt),
    locks: locksOf(repo),
    storage: storage.get(repo.id)!,
  };
}
