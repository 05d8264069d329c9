import { db } from "../core/db";
import { invalid, notFound } from "../core/errors";
import { isDigest } from "../core/digest";
import { isValidTag } from "../core/names";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { expireEntries, purgeEntry, restoreManifest, tagsOf, type PurgedEntry, type RestoredManifest } from "../registry/recycle-bin";
import { recordActivity, recordActivityAfter } from "./activity";
import type { LifecycleStep } from "./lifecycle-step";
import { findRegistry, loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";
import { decodeCursor, encodeCursor, pageSize, type Page } from "./paging";
import { checkRepositoryName, loadRepository, repoRef, requireDeleteSomewhere, requireRepositoryRead, visibleOrDenied } from "./repository-access";

/**
 * Soft delete as `az acr config soft-delete` and `az acr manifest list-deleted|restore` offer it, for the portal and
 * the CLI alike: the policy per registry, the list of deleted manifests, restore, Delete now, and expiry as a step of
 * every garbage-collection run. The engine's side is lib/registry/recycle-bin.ts.
 */

export const SOFT_DELETE_DAYS = { min: 1, max: 90 } as const;

export type SoftDeletePolicy = { registry: string; status: "enabled" | "disabled"; days: number; deletedManifests: number; deletedBytes: number };

const repositoryScope = (reg: LoadedRegistry, repository: string) =>
  ({ type: "repository", registry: reg.name, repository, resourceGroup: reg.resourceGroupName }) as const;

const statusOf = (enabled: boolean) => (enabled ? "enabled" : "disabled");

async function policyOf(reg: { id: string; name: string; softDeleteEnabled: boolean; softDeleteDays: number }): Promise<SoftDeletePolicy> {
  const sum = await db().recycledManifest.aggregate({ where: { registryId: reg.id }, _count: true, _sum: { size: true, contentSize: true } });
  return {
    registry: reg.name,
    status: statusOf(reg.softDeleteEnabled),
    days: reg.softDeleteDays,
    deletedManifests: sum._count,
    deletedBytes: (sum._sum.size ?? 0) + Number(sum._sum.contentSize ?? 0),
  };
}

export async function showSoftDelete(actor: Actor, input: { registry: string }): Promise<SoftDeletePolicy> {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "read", registryScope(reg));
  return policyOf(reg);
}

/**
 * Turns soft delete on or off and sets how long deleted manifests stay. Entries already in the bin keep the expiry
 * they got when deleted; turning soft delete off keeps them too (until they expire, are restored or deleted now).
 */
export async function updateSoftDelete(actor: Actor, input: { registry: string; status?: string; days?: number | string }): Promise<SoftDeletePolicy> {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const change: { softDeleteEnabled?: boolean; softDeleteDays?: number } = {};
  if (input.status !== undefined) {
    const s = String(input.status).toLowerCase();
    if (s !== "enabled" && s !== "disabled") throw invalid(`Status must be enabled or disabled (got '${input.status}').`, "status");
    change.softDeleteEnabled = s === "enabled";
  }
  if (input.days !== undefined) {
    const d = Number(input.days);
    if (!Number.isInteger(d) || d < SOFT_DELETE_DAYS.min || d > SOFT_DELETE_DAYS.max) {
      throw invalid(`Days must be a whole number from ${SOFT_DELETE_DAYS.min} to ${SOFT_DELETE_DAYS.max} (got '${input.days}').`, "days");
    }
    change.softDeleteDays = d;
  }
  if (!Object.keys(change).length) throw invalid("Nothing to change: give --status, --days or both.", "status");
  const row = await db().$transaction(async (tx) => {
    const before = await tx.registry.findUniqueOrThrow({ where: { id: reg.id }, select: { softDeleteEnabled: true, softDeleteDays: true } });
    const after = await tx.registry.update({ where: { id: reg.id }, data: change, select: { id: true, name: true, softDeleteEnabled: true, softDeleteDays: true } });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "registry.softDelete.update",
      target: reg.name,
      registryId: reg.id,
      before: { status: statusOf(before.softDeleteEnabled), days: before.softDeleteDays },
      after: { status: statusOf(after.softDeleteEnabled), days: after.softDeleteDays },
    });
    return after;
  });
  return policyOf(row);
}

/** One manifest in the bin. `partOf`: the index in the bin it was deleted with (its platform, if it has one). */
export type DeletedManifest = {
  id: string;
  repository: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  tags: string[];
  /** Manifest plus what it references (layers, config). */
  bytes: number;
  createdTime: Date;
  deletedTime: Date;
  expiresTime: Date;
  deletedBy: string;
  partOf: { digest: string; platform: string | null } | null;
};

type Cursor = { at: string; id: string };
const isCursor = (v: unknown): v is Cursor => !!v && typeof (v as Cursor).at === "string" && typeof (v as Cursor).id === "string" && !Number.isNaN(Date.parse((v as Cursor).at));

/** Newest deletion first. Reading needs read on the repository; without `repository`, what the actor may see. */
export async function listDeleted(actor: Actor, input: { registry: string; repository?: string; cursor?: string | null; limit?: number }): Promise<Page<DeletedManifest>> {
  const reg = await loadRegistry(input.registry);
  let repoFilter: { name: string } | { name: { in: string[] } } | undefined;
  if (input.repository) {
    const name = checkRepositoryName(input.repository);
    await requireRepositoryRead(actor, reg, name);
    repoFilter = { name };
  } else {
    const v = await visibleOrDenied(actor, reg);
    if (!v.all) repoFilter = { name: { in: v.names } };
  }
  const take = pageSize(input.limit);
  const cursor = decodeCursor(input.cursor, isCursor);
  const where = { registryId: reg.id, ...(repoFilter ? { repository: repoFilter } : {}) };
  const after = cursor ? { OR: [{ deletedAt: { lt: new Date(cursor.at) } }, { deletedAt: new Date(cursor.at), id: { lt: cursor.id } }] } : {};
  const [rows, total] = await Promise.all([
    db().recycledManifest.findMany({
      where: { ...where, ...after },
      orderBy: [{ deletedAt: "desc" }, { id: "desc" }],
      take: take + 1,
      select: {
        id: true, digest: true, mediaType: true, artifactType: true, tags: true, size: true, contentSize: true, createdAt: true, deletedAt: true,
        expiresAt: true, deletedBy: true, repositoryId: true, repository: { select: { name: true } },
      },
    }),
    db().recycledManifest.count({ where }),
  ]);
  const page = rows.slice(0, take);
  const parents = await db().recycledReference.findMany({
    where: { kind: "manifest", digest: { in: page.map((r) => r.digest) }, entry: { registryId: reg.id } },
    select: { digest: true, platform: true, entry: { select: { digest: true, repositoryId: true } } },
  });
  const last = page[page.length - 1];
  return {
    items: page.map((r) => {
      const p = parents.find((x) => x.digest === r.digest && x.entry.repositoryId === r.repositoryId);
      return {
        id: r.id,
        repository: r.repository.name,
        digest: r.digest,
        mediaType: r.mediaType,
        artifactType: r.artifactType,
        tags: tagsOf(r.tags),
        bytes: r.size + Number(r.contentSize),
        createdTime: r.createdAt,
        deletedTime: r.deletedAt,
        expiresTime: r.expiresAt,
        deletedBy: r.deletedBy,
        partOf: p ? { digest: p.entry.digest, platform: p.platform } : null,
      };
    }),
    nextCursor: rows.length > take ? encodeCursor({ at: last.deletedAt.toISOString(), id: last.id }) : null,
    total,
  };
}

export type RestoreResult = { registry: string; repository: string; digest: string; manifests: RestoredManifest[]; tags: string[]; movedTags: string[]; bytes: number };

const bytesOf = (list: { size: number; contentSize: number }[]) => list.reduce((n, m) => n + m.size + m.contentSize, 0);

/**
 * Puts a deleted manifest back (by digest, or the latest deleted one that had `tag`), with its tags and the platform
 * manifests of an index. Needs push on the repository: a restore writes tags and manifests as a push does.
 */
export async function restore(actor: Actor, input: { registry: string; repository: string; digest?: string; tag?: string; force?: boolean }): Promise<RestoreResult> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireActor(actor, "push", repositoryScope(reg, name));
  const digest = input.digest ? String(input.digest) : undefined;
  const tag = input.tag ? String(input.tag) : undefined;
  if (!digest && !tag) throw invalid("Name the manifest to restore: a digest (repo@sha256:…) or a tag it had (repo:tag).", "digest");
  if (digest && !isDigest(digest)) throw invalid(`'${digest}' is not a digest; use sha256:<64 hex digits>.`, "digest");
  if (tag && !isValidTag(tag)) throw invalid(`'${tag}' is not a valid tag.`, "tag");
  const repo = await loadRepository(reg, name);
  let target = digest;
  if (!target) {
    // Tag names have no '"', so the quoted name matches exactly one element of the JSON array.
    const e = await db().recycledManifest.findFirst({ where: { repositoryId: repo.id, tags: { contains: JSON.stringify(tag) } }, orderBy: { deletedAt: "desc" }, select: { digest: true } });
    if (!e) throw notFound(`No manifest in the recycle bin of ${reg.name}/${name} had tag '${tag}'. List them with \`wharf manifest list-deleted\`.`, "tag");
    target = e.digest;
  }
  const manifests = await restoreManifest(repoRef(reg, repo), target, { tag, force: !!input.force });
  const top = manifests.find((m) => m.digest === target)!;
  const result = { registry: reg.name, repository: name, digest: target, manifests, tags: top.tags, movedTags: manifests.flatMap((m) => m.movedTags), bytes: bytesOf(manifests) };
  await recordActivityAfter({
    actor: actorName(actor),
    action: "manifest.restore",
    target: `${reg.name}/${name}@${target}`,
    registryId: reg.id,
    after: { manifests: manifests.map((m) => m.digest), tags: manifests.flatMap((m) => m.tags), movedTags: result.movedTags, bytes: result.bytes },
  });
  return result;
}

export type DeleteNowResult = { id: string; deleted: boolean; repository?: string; digest?: string; manifests: string[]; bytes: number; error?: string };

/** Delete now: entries for good (each with the platform manifests deleted with it); garbage collection frees the bytes. */
export async function deleteNow(actor: Actor, input: { registry: string; ids: string[] }): Promise<DeleteNowResult[]> {
  const reg = await loadRegistry(input.registry);
  await requireDeleteSomewhere(actor, reg);
  const ids = Array.isArray(input.ids) ? [...new Set(input.ids.map(String))] : [];
  const entries = await authorizeDeleteNow(actor, reg, ids);
  if (!ids.length) throw invalid("Choose at least one deleted manifest.", "ids");
  if (ids.length > 500) throw invalid("Delete at most 500 entries at a time.", "ids");
  const out: DeleteNowResult[] = [];
  const gone = new Map<string, PurgedEntry>();
  for (const id of ids) {
    const done = gone.get(id);
    if (done) {
      // Went with an index chosen earlier in the list.
      out.push({ id, deleted: true, repository: done.repository, digest: done.digest, manifests: [], bytes: 0 });
      continue;
    }
    // Only entries of this registry (ids are not secrets, but the registry is what was authorised).
    const purged = entries.some((e) => e.id === id) ? await purgeEntry(id) : null;
    if (!purged) {
      out.push({ id, deleted: false, manifests: [], bytes: 0, error: "Not in the recycle bin any more: restored, deleted or expired." });
      continue;
    }
    for (const p of purged) gone.set(p.id, p);
    const [top] = purged;
    const bytes = bytesOf(purged);
    out.push({ id, deleted: true, repository: top.repository, digest: top.digest, manifests: purged.map((p) => p.digest), bytes });
    await recordActivityAfter({
      actor: actorName(actor),
      action: "recycleBin.delete",
      target: `${reg.name}/${top.repository}@${top.digest}`,
      registryId: reg.id,
      before: { manifests: purged.map((p) => p.digest), tags: purged.flatMap((p) => p.tags), bytes },
    });
  }
  return out;
}

/** deleteImage on the repository of every entry named (before anything is deleted); the entries of `reg` among `ids`. */
async function authorizeDeleteNow(actor: Actor, reg: LoadedRegistry, ids: string[]) {
  const entries = await db().recycledManifest.findMany({ where: { id: { in: ids.slice(0, 500) }, registryId: reg.id }, select: { id: true, repository: { select: { name: true } } } });
  for (const repository of new Set(entries.map((e) => e.repository.name))) await requireActor(actor, "deleteImage", repositoryScope(reg, repository));
  return entries;
}

/** Authorisation before validation (portal actions): as restore and deleteNow check it, on raw input they can read. */
export async function precheckRestore(actor: Actor, registry: unknown, repositories: unknown[]): Promise<void> {
  const reg = await findRegistry(registry);
  if (!reg) return;
  for (const name of new Set(repositories.filter((r): r is string => typeof r === "string"))) await requireActor(actor, "push", repositoryScope(reg, name));
}

export async function precheckDeleteNow(actor: Actor, registry: unknown, ids: unknown): Promise<void> {
  const reg = await findRegistry(registry);
  if (!reg) return;
  await requireDeleteSomewhere(actor, reg);
  if (Array.isArray(ids)) await authorizeDeleteNow(actor, reg, ids.filter((i): i is string => typeof i === "string"));
}

/** Lifecycle step: entries past their time in the bin go, and garbage collection frees what only they held. */
export const recycleBinStep: LifecycleStep = {
  name: "recycleBin",
  async run({ registryId, dryRun, now, actor }) {
    const expired = await expireEntries({ registryId, now, dryRun });
    if (!dryRun) await recordExpiry(actor, expired);
    return expired.map((e) => ({ registryId: e.registryId, repository: e.repository, digest: e.digest, tags: e.tags, size: e.size + e.contentSize }));
  },
};

async function recordExpiry(actor: string, expired: PurgedEntry[]): Promise<void> {
  const byRegistry = new Map<string, PurgedEntry[]>();
  for (const e of expired) byRegistry.set(e.registryId, [...(byRegistry.get(e.registryId) ?? []), e]);
  for (const [registryId, list] of byRegistry) {
    const reg = await db().registry.findUnique({ where: { id: registryId }, select: { name: true } });
    if (!reg) continue;
    await recordActivityAfter({
      actor,
      action: "recycleBin.expire",
      target: reg.name,
      registryId,
      before: { manifests: list.map((e) => `${e.repository}@${e.digest}`), bytes: bytesOf(list) },
    });
  }
}
