import { db } from "../core/db";
import { recordActivity } from "./activity";
import { denied, invalid, notFound, WharfError } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { authorize, permissionResolver } from "../auth/authorize";
import { isDigest } from "../core/digest";
import { manifestService, type Descriptor } from "../registry/manifest-service";
import { isIndexType } from "../registry/media-types";
import { isValidRepositoryName, isValidTag } from "../core/names";
import { blobDataPath } from "../registry/paths";
import type { Repo } from "../registry/repository-resolver";
import { storage } from "../registry/storage";

/**
 * What the portal's repository browser reads: cursor-paginated repository and tag
 * lists and a manifest's details, each filtered to what the caller may see. A page
 * costs a fixed number of queries whatever its size (no per-row queries), and
 * every list walks an index in order, so it stays quick at 10,000 repositories
 * and 100,000 tags.
 */

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const MAX_CONFIG_BYTES = 1024 * 1024;

export type LockFlags = { writeEnabled: boolean; deleteEnabled: boolean; readEnabled: boolean; listEnabled: boolean };
const LOCK_SELECT = { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true } as const;

export type RepositoryRow = {
  name: string;
  tagCount: number;
  manifestCount: number;
  /** Bytes of the distinct blobs the repository links (layers and configs). */
  size: bigint;
  createdTime: Date;
  lastUpdateTime: Date;
  locks: LockFlags;
};

export type Page<T> = { items: T[]; nextCursor: string | null; total: number };

type RegistryRow = { id: string; name: string; sku: string; anonymousPullEnabled: boolean; resourceGroup: string | null };

async function loadRegistry(name: string): Promise<RegistryRow> {
  const key = String(name ?? "").trim().toLowerCase();
  if (!/^[a-z0-9]{5,50}$/.test(key)) throw invalid(`'${name}' is not a registry name (5–50 lower-case letters and digits).`, "registry");
  const reg = await db().registry.findUnique({ where: { name: key }, include: { resourceGroup: { select: { name: true } } } });
  if (!reg) throw notFound(`Registry '${key}' not found.`);
  return { id: reg.id, name: reg.name, sku: reg.sku, anonymousPullEnabled: reg.anonymousPullEnabled, resourceGroup: reg.resourceGroup?.name ?? null };
}

function checkRepositoryName(name: string): string {
  const n = String(name ?? "").trim();
  if (!isValidRepositoryName(n)) throw invalid(`'${name}' is not a repository name: lower-case path components like team/app.`, "repository");
  return n;
}

/**
 * Which repositories of `reg` the actor may see in the portal: every one for
 * those with a registry-wide role that reads (Reader and up) or pulls; otherwise
 * only those named in the actor's repository-scoped role assignments.
 */
export async function repositoryVisibility(actor: Actor, reg: RegistryRow): Promise<{ all: true } | { all: false; names: string[] }> {
  if (actor.kind === "system") return { all: true };
  const scope = { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroup } as const;
  if ((await authorize(actor, "read", scope)).allowed) return { all: true };
  const perms = await permissionResolver(actor, reg);
  if (perms("\u0000").has("metadata_read")) return { all: true };
  if (actor.kind !== "user" && actor.kind !== "servicePrincipal") return { all: false, names: [] };
  const prefix = `/registries/${reg.name}/repositories/`;
  const rows = await db().roleAssignment.findMany({
    where: { principalType: actor.kind, principalId: actor.id, scope: { startsWith: prefix } },
    select: { scope: true },
  });
  const names = [...new Set(rows.map((r) => r.scope.slice(prefix.length)))].filter((n) => perms(n).has("metadata_read")).sort();
  return { all: false, names };
}

/**
 * The registry (name, SKU, resource group) for someone without a registry-wide
 * role who holds a role on some of its repositories; null otherwise.
 */
export async function findRegistryForRepositoryViewer(actor: Actor, name: string): Promise<{ name: string; sku: string; resourceGroupName: string | null } | null> {
  let reg: RegistryRow;
  try {
    reg = await loadRegistry(name);
  } catch {
    return null;
  }
  const v = await repositoryVisibility(actor, reg);
  if (!v.all && !v.names.length) return null;
  return { name: reg.name, sku: reg.sku, resourceGroupName: reg.resourceGroup };
}

async function visibleOrDenied(actor: Actor, reg: RegistryRow) {
  const v = await repositoryVisibility(actor, reg);
  if (!v.all && v.names.length === 0) {
    throw denied(`You have no role on registry ${reg.name} or any of its repositories. Ask an Owner for Reader (or AcrPull on a repository).`);
  }
  return v;
}

/** May the actor see this one repository (pull/read its metadata)? Throws DENIED when not. */
async function requireRepositoryRead(actor: Actor, reg: RegistryRow, repository: string): Promise<void> {
  if (actor.kind === "system") return;
  const scope = { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroup } as const;
  if ((await authorize(actor, "read", scope)).allowed) return;
  const perms = await permissionResolver(actor, reg);
  if (perms(repository).has("metadata_read")) return;
  throw denied(`You may not see repository ${reg.name}/${repository}. Ask an Owner for Reader on the registry or AcrPull on the repository.`);
}

function pageSize(limit: unknown): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw invalid(`Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, "limit");
  return n;
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor<T>(cursor: string | undefined | null, check: (v: unknown) => v is T): T | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (check(v)) return v;
  } catch {
    /* fall through */
  }
  throw invalid("The page link is not valid any more; go back to the first page.", "cursor");
}

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
  // Four grouped queries for the whole page, each on an index led by repositoryId.
  const [tags, manifests, sizes] = ids.length
    ? await Promise.all([
        client.tag.groupBy({ by: ["repositoryId"], where: { repositoryId: { in: ids } }, _count: { _all: true }, _max: { updatedAt: true } }),
        client.manifest.groupBy({ by: ["repositoryId"], where: { repositoryId: { in: ids } }, _count: { _all: true }, _max: { updatedAt: true } }),
        blobSizes(ids),
      ])
    : [[], [], new Map<string, bigint>()];
  const tagBy = new Map(tags.map((t) => [t.repositoryId, t]));
  const manBy = new Map(manifests.map((m) => [m.repositoryId, m]));
  const items = pageRows.map((r): RepositoryRow => {
    const t = tagBy.get(r.id);
    const m = manBy.get(r.id);
    const times = [r.updatedAt, t?._max.updatedAt, m?._max.updatedAt].filter((d): d is Date => !!d);
    return {
      name: r.name,
      tagCount: t?._count._all ?? 0,
      manifestCount: m?._count._all ?? 0,
      size: sizes.get(r.id) ?? BigInt(0),
      createdTime: r.createdAt,
      lastUpdateTime: new Date(Math.max(...times.map((d) => d.getTime()))),
      locks: { writeEnabled: r.writeEnabled, deleteEnabled: r.deleteEnabled, readEnabled: r.readEnabled, listEnabled: r.listEnabled },
    };
  });
  return { items, nextCursor: rows.length > take ? encodeCursor(pageRows[pageRows.length - 1].name) : null, total };
}

async function blobSizes(repositoryIds: string[]): Promise<Map<string, bigint>> {
  const links = await db().blobLink.findMany({
    where: { repositoryId: { in: repositoryIds } },
    select: { repositoryId: true, blob: { select: { size: true } } },
  });
  const out = new Map<string, bigint>();
  for (const l of links) out.set(l.repositoryId, (out.get(l.repositoryId) ?? BigInt(0)) + l.blob.size);
  return out;
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

export type TagSort = "updated" | "created" | "name";
export type TagRow = {
  name: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  /** Bytes of the manifest and what it references (for an index: its platform images). */
  size: bigint;
  /** `os/arch[/variant]` of each image of an index; empty for an image. */
  platforms: string[];
  createdTime: Date;
  lastUpdateTime: Date;
  locks: LockFlags;
};

export type RepositoryInfo = { registry: string; name: string; tagCount: number; manifestCount: number; createdTime: Date; locks: LockFlags };

async function loadRepository(reg: RegistryRow, repository: string) {
  const repo = await db().repository.findUnique({
    where: { registryId_name: { registryId: reg.id, name: repository } },
    select: { id: true, name: true, createdAt: true, ...LOCK_SELECT },
  });
  if (!repo) throw notFound(`Repository '${repository}' not found in registry ${reg.name}.`);
  return repo;
}

export async function getRepository(actor: Actor, input: { registry: string; repository: string }): Promise<RepositoryInfo> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  const [tagCount, manifestCount] = await Promise.all([
    db().tag.count({ where: { repositoryId: repo.id } }),
    db().manifest.count({ where: { repositoryId: repo.id } }),
  ]);
  return {
    registry: reg.name,
    name: repo.name,
    tagCount,
    manifestCount,
    createdTime: repo.createdAt,
    locks: { writeEnabled: repo.writeEnabled, deleteEnabled: repo.deleteEnabled, readEnabled: repo.readEnabled, listEnabled: repo.listEnabled },
  };
}

type TagCursor = { v: string | number; n: string };
const isTagCursor = (v: unknown): v is TagCursor =>
  !!v && typeof v === "object" && typeof (v as TagCursor).n === "string" && ["string", "number"].includes(typeof (v as TagCursor).v);

/**
 * Tags of a repository: newest first by default, or by creation or name, either
 * direction; `filter` matches anywhere in the tag. Keyset pagination on
 * (sort key, name), so page 500 costs what page 1 does.
 */
export async function listTagPage(
  actor: Actor,
  input: { registry: string; repository: string; sort?: TagSort; direction?: "asc" | "desc"; filter?: string; cursor?: string | null; limit?: number },
): Promise<Page<TagRow>> {
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
        manifest: { select: { id: true, digest: true, mediaType: true, artifactType: true, size: true, contentSize: true } },
      },
    }),
    db().tag.count({ where: base }),
  ]);
  const pageRows = rows.slice(0, take);
  const children = await indexChildren(repo.id, pageRows.filter((r) => isIndexType(r.manifest.mediaType)).map((r) => r.manifest.id));
  const items = pageRows.map((t): TagRow => {
    const kids = children.get(t.manifest.id);
    const own = BigInt(t.manifest.size);
    return {
      name: t.name,
      digest: t.manifest.digest,
      mediaType: t.manifest.mediaType,
      artifactType: t.manifest.artifactType,
      size: kids ? own + kids.reduce((s, k) => s + k.size, BigInt(0)) : own + t.manifest.contentSize,
      platforms: kids ? kids.map((k) => k.platform).filter((p): p is string => !!p) : [],
      createdTime: t.createdAt,
      lastUpdateTime: t.updatedAt,
      locks: { writeEnabled: t.writeEnabled, deleteEnabled: t.deleteEnabled, readEnabled: t.readEnabled, listEnabled: t.listEnabled },
    };
  });
  const last = pageRows[pageRows.length - 1];
  const nextCursor =
    rows.length > take && last
      ? encodeCursor({ v: field === "name" ? last.name : (field === "updatedAt" ? last.updatedAt : last.createdAt).getTime(), n: last.name })
      : null;
  return { items, nextCursor, total };
}

type Child = { digest: string; platform: string | null; size: bigint; present: boolean };

/** The images of some indexes, with their full sizes: two queries for any number of indexes. */
async function indexChildren(repositoryId: string, manifestIds: string[]): Promise<Map<string, Child[]>> {
  const out = new Map<string, Child[]>();
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

export type ConfigSummary = {
  os: string | null;
  architecture: string | null;
  variant: string | null;
  created: string | null;
  author: string | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string | null;
  user: string | null;
  env: string[];
  labels: Record<string, string>;
  exposedPorts: string[];
};

export type ManifestDetail = {
  registry: string;
  repository: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  kind: "image" | "index" | "artifact";
  size: number;
  totalSize: bigint;
  createdTime: Date;
  tags: { name: string; locks: LockFlags }[];
  config: (Descriptor & { summary: ConfigSummary | null }) | null;
  layers: Descriptor[];
  /** For an index: its images. */
  manifests: (Descriptor & { platformText: string | null; present: boolean })[];
  annotations: Record<string, string>;
  subject: Descriptor | null;
  referrers: Descriptor[];
  raw: string;
  locks: LockFlags;
};

function asStrings(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
}

function summariseConfig(doc: Record<string, unknown>): ConfigSummary {
  const c = (doc.config && typeof doc.config === "object" ? doc.config : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const labels = c.Labels && typeof c.Labels === "object" ? (c.Labels as Record<string, string>) : {};
  return {
    os: str(doc.os),
    architecture: str(doc.architecture),
    variant: str(doc.variant),
    created: str(doc.created),
    author: str(doc.author),
    entrypoint: asStrings(c.Entrypoint),
    cmd: asStrings(c.Cmd),
    workingDir: str(c.WorkingDir),
    user: str(c.User),
    env: asStrings(c.Env) ?? [],
    labels: Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === "string")),
    exposedPorts: c.ExposedPorts && typeof c.ExposedPorts === "object" ? Object.keys(c.ExposedPorts) : [],
  };
}

/** A small JSON blob (an image config); null when missing, too large or not JSON. */
async function readJsonBlob(digest: string, size: number): Promise<Record<string, unknown> | null> {
  if (size > MAX_CONFIG_BYTES) return null;
  try {
    const doc = JSON.parse((await storage().getContent(blobDataPath(digest))).toString("utf8"));
    return doc && typeof doc === "object" && !Array.isArray(doc) ? doc : null;
  } catch {
    return null;
  }
}

function repoRef(reg: RegistryRow, repo: { id: string; name: string }): Repo {
  return { id: repo.id, registryId: reg.id, registry: reg.name, name: repo.name, fullName: `${reg.name}/${repo.name}` };
}

/** One manifest by tag or digest, with what the manifest page shows. Read locks do not hide it here. */
export async function getManifestDetail(actor: Actor, input: { registry: string; repository: string; reference: string }): Promise<ManifestDetail> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireRepositoryRead(actor, reg, name);
  const repo = await loadRepository(reg, name);
  const reference = String(input.reference ?? "");
  const select = { id: true, digest: true, mediaType: true, artifactType: true, size: true, contentSize: true, createdAt: true, ...LOCK_SELECT } as const;
  let row;
  if (isDigest(reference)) {
    row = await db().manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest: reference } }, select });
  } else if (isValidTag(reference)) {
    row = (await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { manifest: { select } } }))?.manifest;
  } else {
    throw invalid(`'${reference}' is neither a tag nor a digest.`, "reference");
  }
  if (!row) throw notFound(`${isDigest(reference) ? `Manifest ${reference}` : `Tag '${reference}'`} is not in ${reg.name}/${name}.`);
  const bytes = await manifestService.bytes({ digest: row.digest, mediaType: row.mediaType, size: row.size });
  const doc = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  const index = isIndexType(row.mediaType);
  const [tags, referrers, kids] = await Promise.all([
    db().tag.findMany({ where: { manifestId: row.id }, orderBy: { name: "asc" }, select: { name: true, ...LOCK_SELECT } }),
    manifestService.referrers(repoRef(reg, repo), row.digest),
    index ? indexChildren(repo.id, [row.id]) : Promise.resolve(new Map<string, Child[]>()),
  ]);
  const configDesc = !index && doc.config && typeof doc.config === "object" ? (doc.config as Descriptor) : null;
  const configDoc = configDesc ? await readJsonBlob(configDesc.digest, configDesc.size) : null;
  const isImageConfig = configDesc?.mediaType === "application/vnd.oci.image.config.v1+json" || configDesc?.mediaType === "application/vnd.docker.container.image.v1+json";
  const present = new Set((kids.get(row.id) ?? []).filter((k) => k.present).map((k) => k.digest));
  const manifests = index && Array.isArray(doc.manifests)
    ? (doc.manifests as Descriptor[]).map((m) => ({
        ...m,
        platformText: m.platform?.os && m.platform.architecture ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ""}` : null,
        present: present.has(m.digest),
      }))
    : [];
  const kidsTotal = (kids.get(row.id) ?? []).reduce((s, k) => s + k.size, BigInt(0));
  return {
    registry: reg.name,
    repository: name,
    digest: row.digest,
    mediaType: row.mediaType,
    artifactType: row.artifactType,
    kind: index ? "index" : isImageConfig ? "image" : "artifact",
    size: row.size,
    totalSize: BigInt(row.size) + (index ? kidsTotal : row.contentSize),
    createdTime: row.createdAt,
    tags: tags.map((t) => ({ name: t.name, locks: { writeEnabled: t.writeEnabled, deleteEnabled: t.deleteEnabled, readEnabled: t.readEnabled, listEnabled: t.listEnabled } })),
    config: configDesc ? { ...configDesc, summary: configDoc && isImageConfig ? summariseConfig(configDoc) : null } : null,
    layers: Array.isArray(doc.layers) ? (doc.layers as Descriptor[]) : [],
    manifests,
    annotations: doc.annotations && typeof doc.annotations === "object" ? (doc.annotations as Record<string, string>) : {},
    subject: doc.subject && typeof doc.subject === "object" ? (doc.subject as Descriptor) : null,
    referrers,
    raw: JSON.stringify(doc, null, 2),
    locks: { writeEnabled: row.writeEnabled, deleteEnabled: row.deleteEnabled, readEnabled: row.readEnabled, listEnabled: row.listEnabled },
  };
}

/** Deletes a tag (the manifest stays, reachable by digest), through the data plane's own service so locks hold. */
export async function deleteTag(actor: Actor, input: { registry: string; repository: string; tag: string }): Promise<{ deleted: true }> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  if (!isValidTag(String(input.tag ?? ""))) throw invalid(`'${input.tag}' is not a valid tag.`, "tag");
  await requireActor(actor, "deleteImage", { type: "repository", registry: reg.name, repository: name, resourceGroup: reg.resourceGroup });
  const repo = await loadRepository(reg, name);
  await manifestService.delete(repoRef(reg, repo), input.tag);
  await record(actor, reg, "tag.delete", `${reg.name}/${name}:${input.tag}`);
  return { deleted: true };
}

/** Deletes a manifest and every tag on it. */
export async function deleteManifest(actor: Actor, input: { registry: string; repository: string; digest: string }): Promise<{ deleted: true; tags: string[] }> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  if (!isDigest(String(input.digest ?? ""))) throw invalid(`'${input.digest}' is not a digest; use sha256:<64 hex digits>.`, "digest");
  await requireActor(actor, "deleteImage", { type: "repository", registry: reg.name, repository: name, resourceGroup: reg.resourceGroup });
  const repo = await loadRepository(reg, name);
  const tags = await db().tag.findMany({ where: { repositoryId: repo.id, manifest: { digest: input.digest } }, select: { name: true } });
  await manifestService.delete(repoRef(reg, repo), input.digest);
  await record(actor, reg, "manifest.delete", `${reg.name}/${name}@${input.digest}`, { tags: tags.map((t) => t.name) });
  return { deleted: true, tags: tags.map((t) => t.name) };
}

async function record(actor: Actor, reg: RegistryRow, action: string, target: string, before?: unknown) {
  await db().$transaction((tx) => recordActivity(tx, { actor: actorName(actor), action, target, registryId: reg.id, before }));
}
