import { db } from "../core/db";
import { RegistryError } from "./registry-queries";

/** Read queries over a registry's repositories and tags (the CLI and the portal share them). */

export class RepositoryError extends Error {
  constructor(
    public code: "NOT_FOUND",
    message: string,
    public field?: string,
  ) {
    super(message);
  }
}

export type RepositorySummary = {
  name: string;
  tagCount: number;
  manifestCount: number;
  createdTime: Date;
  /** Latest change to the repository, its tags or its manifests. */
  lastUpdateTime: Date;
};

export type TagSummary = {
  name: string;
  digest: string;
  mediaType: string;
  /** Bytes of the manifest plus the blobs it references. */
  size: bigint;
  createdTime: Date;
  lastUpdateTime: Date;
};

async function registryId(registryName: string): Promise<string> {
  const name = registryName.trim().toLowerCase();
  const reg = await db().registry.findUnique({ where: { name }, select: { id: true } });
  if (!reg) throw new RegistryError("NOT_FOUND", `Registry '${name}' not found.`, "name");
  return reg.id;
}

/**
 * Repositories of a registry, by name, with their counts and last update. Three
 * queries whatever the number of repositories: the rows with their counts, and
 * the newest tag and manifest change per repository.
 */
export async function listRepositories(registryName: string): Promise<RepositorySummary[]> {
  const id = await registryId(registryName);
  const client = db();
  const inRegistry = { repository: { registryId: id } };
  const [repos, tagTimes, manifestTimes] = await Promise.all([
    client.repository.findMany({
      where: { registryId: id },
      orderBy: { name: "asc" },
      select: { id: true, name: true, createdAt: true, updatedAt: true, _count: { select: { tags: true, manifests: true } } },
    }),
    client.tag.groupBy({ by: ["repositoryId"], where: inRegistry, _max: { updatedAt: true } }),
    client.manifest.groupBy({ by: ["repositoryId"], where: inRegistry, _max: { updatedAt: true } }),
  ]);
  const latest = new Map<string, Date>();
  for (const row of [...tagTimes, ...manifestTimes]) {
    const t = row._max.updatedAt;
    const seen = latest.get(row.repositoryId);
    if (t && (!seen || t > seen)) latest.set(row.repositoryId, t);
  }
  return repos.map((r) => {
    const child = latest.get(r.id);
    return {
      name: r.name,
      tagCount: r._count.tags,
      manifestCount: r._count.manifests,
      createdTime: r.createdAt,
      lastUpdateTime: child && child > r.updatedAt ? child : r.updatedAt,
    };
  });
}

/** Tags of one repository, newest (most recently pushed or moved) first, in one query. */
export async function listTags(registryName: string, repositoryName: string): Promise<TagSummary[]> {
  const id = await registryId(registryName);
  const repo = await db().repository.findUnique({
    where: { registryId_name: { registryId: id, name: repositoryName } },
    select: { id: true },
  });
  if (!repo) throw new RepositoryError("NOT_FOUND", `Repository '${repositoryName}' not found.`, "repository");
  const tags = await db().tag.findMany({
    where: { repositoryId: repo.id },
    orderBy: [{ updatedAt: "desc" }, { name: "asc" }],
    select: {
      name: true,
      createdAt: true,
      updatedAt: true,
      manifest: { select: { digest: true, mediaType: true, size: true, contentSize: true } },
    },
  });
  return tags.map((t) => ({
    name: t.name,
    digest: t.manifest.digest,
    mediaType: t.manifest.mediaType,
    size: BigInt(t.manifest.size) + t.manifest.contentSize,
    createdTime: t.createdAt,
    lastUpdateTime: t.updatedAt,
  }));
}
