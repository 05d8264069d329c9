import { db, retryLostRace, type Tx } from "../core/db";
import { isDigest } from "../core/digest";
import { conflict, denied, manifestUnknown } from "../core/errors";
import { queueBlobReviews, queueLinkReviews } from "./gc-queue";
import { deleteBlockedBy, lockDenied } from "./locks";
import type { Repo } from "./repository-resolver";
import { markIfUntagged } from "./manifest-store";
import { refuseWriteOnce } from "./tag-rules";
import { emitEvent, eventsCommitted, type EventOrigin } from "./events";

/** What a delete removed: each manifest with the tags it had, and whether it went to the recycle bin. */
export type DeletedManifest = { digest: string; tags: string[]; size: number; contentSize: number; recycled: boolean };

const FLAGS = { writeEnabled: true, deleteEnabled: true } as const;
const DAY_MS = 86_400_000;

type Row = {
  id: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  size: number;
  subjectDigest: string | null;
  configDigest: string | null;
  contentSize: bigint;
  createdAt: Date;
  writeEnabled: boolean;
  deleteEnabled: boolean;
  tags: { name: string; writeEnabled: boolean; deleteEnabled: boolean }[];
};

const ROW = {
  id: true, digest: true, mediaType: true, artifactType: true, size: true, subjectDigest: true, configDigest: true,
  contentSize: true, createdAt: true, ...FLAGS, tags: { select: { name: true, ...FLAGS } },
} as const;

/**
 * By tag: only the tag (the manifest stays, untagged). By digest: the manifest, its tags, and what exists only
 * because of it — an index's untagged platform manifests no other index names, and untagged referrers (signatures,
 * SBOMs) of anything removed. Locks and write-once rules refuse the delete (DENIED); a locked dependant is kept.
 * The blobs it named are queued for garbage collection, or, when the registry keeps a recycle bin, the manifests
 * go there with their tags and references, and nothing is freed until the entry expires.
 */
/** Conditions checked in the deleting transaction (purge, retention): `tagDigest` — the tag still names this manifest; `untaggedOnly` — the manifest has no tag. */
export type DeleteConditions = { actor?: string; tagDigest?: string; untaggedOnly?: boolean; origin?: Omit<EventOrigin, "actor"> };

export async function deleteManifest(repo: Repo, reference: string, opts: DeleteConditions = {}): Promise<DeletedManifest[]> {
  const removed = await deleteInTransaction(repo, reference, opts);
  eventsCommitted();
  return removed;
}

async function deleteInTransaction(repo: Repo, reference: string, opts: DeleteConditions): Promise<DeletedManifest[]> {
  // Two deletes of one manifest (or a delete and a push moving its tag) at once on PostgreSQL: the loser runs again
  // and finds it gone (MANIFEST_UNKNOWN) instead of failing on the row the winner removed.
  return retryLostRace(() => db().$transaction(async (tx) => {
    // Locks are read in the deleting transaction, so a lock set just before wins.
    const r = await tx.repository.findUnique({ where: { id: repo.id }, select: FLAGS });
    const repoBlock = r && deleteBlockedBy(r);
    if (!isDigest(reference)) {
      const t = await tx.tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { id: true, manifestId: true, ...FLAGS, manifest: { select: { digest: true } } } });
      if (!t) throw manifestUnknown(`Tag '${reference}' is not in ${repo.fullName}.`, { tag: reference });
      if (opts.tagDigest && t.manifest.digest !== opts.tagDigest) throw conflict(`Tag '${reference}' of ${repo.fullName} was moved to ${t.manifest.digest} meanwhile; kept.`);
      if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
      const field = deleteBlockedBy(t);
      if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: reference }, field);
      await refuseWriteOnce(tx, repo, reference, "delete");
      await tx.tag.delete({ where: { id: t.id } });
      await markIfUntagged(tx, t.manifestId);
      await emitEvent(tx, { ...origin(opts), action: "tag.delete", target: `${repo.fullName}:${reference}`, registryId: repo.registryId, repository: repo.name, tag: reference, digest: t.manifest.digest, before: {} });
      return [];
    }
    const m = await tx.manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest: reference } }, select: ROW });
    if (!m) throw manifestUnknown(`Manifest ${reference} is not in ${repo.fullName}.`, { digest: reference });
    if (opts.untaggedOnly && m.tags.length) throw conflict(`Manifest ${reference} of ${repo.fullName} was tagged meanwhile (${m.tags.map((t) => t.name).join(", ")}); kept.`);
    if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
    const own = deleteBlockedBy(m);
    if (own) throw lockDenied("delete", { level: "manifest", repository: repo.fullName, digest: reference }, own);
    // Deleting a manifest deletes its tags: a locked or write-once tag keeps it.
    for (const t of m.tags) {
      const field = deleteBlockedBy(t);
      if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: t.name }, field);
    }
    await refuseWriteOnce(tx, repo, m.tags.map((t) => t.name), "delete");
    const parent = await tx.manifestReference.findFirst({
      where: { digest: m.digest, kind: "manifest", manifest: { repositoryId: repo.id } },
      select: { manifest: { select: { digest: true } } },
    });
    if (parent) {
      throw denied(`Manifest ${m.digest} is part of index ${parent.manifest.digest} in ${repo.fullName}. Delete the index instead: its untagged platform manifests go with it.`, {
        digest: m.digest,
        index: parent.manifest.digest,
      });
    }
    const rows = await withDependants(tx, repo.id, [m]);
    const reg = await tx.registry.findUnique({ where: { id: repo.registryId }, select: { softDeleteEnabled: true, softDeleteDays: true } });
    const bin = reg?.softDeleteEnabled ? { days: reg.softDeleteDays, actor: opts.actor ?? "unknown" } : null;
    for (const row of rows) await removeManifest(tx, repo, row, bin);
    const removed = rows.map((row) => ({ digest: row.digest, tags: row.tags.map((t) => t.name), size: row.size, contentSize: Number(row.contentSize), recycled: !!bin }));
    // ACR sends a webhook "delete" for a manifest (not for a tag): the removed tags only decide which scopes match.
    await emitEvent(tx, {
      ...origin(opts),
      action: bin ? "manifest.recycle" : "manifest.delete",
      target: `${repo.fullName}@${m.digest}`,
      registryId: repo.registryId,
      repository: repo.name,
      digest: m.digest,
      before: { tags: removed.flatMap((x) => x.tags), manifests: removed.map((x) => x.digest), bytes: removed.reduce((n, x) => n + x.size + x.contentSize, 0) },
      hook: { action: "delete", target: { mediaType: m.mediaType, digest: m.digest, repository: repo.name }, tags: removed.flatMap((x) => x.tags) },
    });
    return removed;
  }));
}

/**
 * Who deleted, for the event written in the delete's transaction, whichever door it came through (the /v2 API, the
 * portal, the CLI, purge, retention).
 */
function origin(opts: DeleteConditions) {
  return { ...opts.origin, actor: opts.actor ?? "unknown" };
}

/** The manifests that go with `roots`: untagged, unlocked children no other manifest names, and untagged referrers. */
async function withDependants(tx: Tx, repositoryId: string, roots: Row[]): Promise<Row[]> {
  const chosen = new Map(roots.map((r) => [r.id, r]));
  let frontier = roots;
  while (frontier.length) {
    const ids = frontier.map((r) => r.id);
    const digests = frontier.map((r) => r.digest);
    const children = await tx.manifestReference.findMany({ where: { manifestId: { in: ids }, kind: "manifest" }, select: { digest: true } });
    const candidates = await tx.manifest.findMany({
      where: {
        repositoryId,
        id: { notIn: [...chosen.keys()] },
        OR: [{ digest: { in: children.map((c) => c.digest) } }, { subjectDigest: { in: digests } }],
        tags: { none: {} },
        deleteEnabled: true,
        writeEnabled: true,
      },
      select: ROW,
    });
    const next: Row[] = [];
    for (const c of candidates) {
      // Kept when a manifest that stays names it (another index).
      const others = await tx.manifestReference.count({ where: { digest: c.digest, kind: "manifest", manifest: { repositoryId, id: { notIn: [...chosen.keys()] } } } });
      if (others) continue;
      chosen.set(c.id, c);
      next.push(c);
    }
    frontier = next;
  }
  return [...chosen.values()];
}

async function removeManifest(tx: Tx, repo: Repo, row: Row, bin: { days: number; actor: string } | null): Promise<void> {
  const refs = await tx.manifestReference.findMany({ where: { manifestId: row.id }, select: { digest: true, kind: true, size: true, platform: true } });
  if (bin) {
    // Deleted, re-pushed and deleted again: the newer entry replaces the older (same digest, same references).
    await tx.recycledManifest.deleteMany({ where: { repositoryId: repo.id, digest: row.digest } });
    const now = new Date();
    await tx.recycledManifest.create({
      data: {
        registryId: repo.registryId,
        repositoryId: repo.id,
        digest: row.digest,
        mediaType: row.mediaType,
        artifactType: row.artifactType,
        size: row.size,
        subjectDigest: row.subjectDigest,
        configDigest: row.configDigest,
        contentSize: row.contentSize,
        tags: JSON.stringify(row.tags.map((t) => t.name)),
        createdAt: row.createdAt,
        deletedAt: now,
        expiresAt: new Date(now.getTime() + bin.days * DAY_MS),
        deletedBy: bin.actor,
        references: { createMany: { data: refs } },
      },
    });
  } else {
    await queueLinkReviews(tx, repo.id, refs.filter((x) => x.kind === "blob").map((x) => x.digest));
    await queueBlobReviews(tx, [row.digest], repo.registryId);
  }
  await tx.manifest.delete({ where: { id: row.id } });
}

/**
 * A whole repository: refused when it, or any tag or manifest in it, is locked against deletes or a write-once
 * rule protects one of its tags. Everything it held is queued for garbage collection; nothing goes to the bin.
 */
export async function deleteRepository(repo: Repo, by: EventOrigin): Promise<{ manifests: number; tags: number }> {
  const counts = await deleteRepositoryInTransaction(repo, by);
  eventsCommitted();
  return counts;
}

async function deleteRepositoryInTransaction(repo: Repo, by: EventOrigin): Promise<{ manifests: number; tags: number }> {
  return db().$transaction(
    async (tx) => {
      const r = await tx.repository.findUnique({ where: { id: repo.id }, select: FLAGS });
      if (!r) throw manifestUnknown(`Repository ${repo.fullName} was deleted by someone else.`, { name: repo.fullName });
      const block = deleteBlockedBy(r);
      if (block) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, block);
      const lockedTag = await tx.tag.findFirst({ where: { repositoryId: repo.id, OR: [{ deleteEnabled: false }, { writeEnabled: false }] }, select: { name: true, ...FLAGS } });
      if (lockedTag) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: lockedTag.name }, deleteBlockedBy(lockedTag)!);
      const lockedManifest = await tx.manifest.findFirst({ where: { repositoryId: repo.id, OR: [{ deleteEnabled: false }, { writeEnabled: false }] }, select: { digest: true, ...FLAGS } });
      if (lockedManifest) throw lockDenied("delete", { level: "manifest", repository: repo.fullName, digest: lockedManifest.digest }, deleteBlockedBy(lockedManifest)!);
      const tags = await tx.tag.findMany({ where: { repositoryId: repo.id }, select: { name: true } });
      await refuseWriteOnce(tx, repo, tags.map((t) => t.name), "delete");
      const [links, manifests, binned] = await Promise.all([
        tx.blobLink.findMany({ where: { repositoryId: repo.id }, select: { digest: true } }),
        tx.manifest.findMany({ where: { repositoryId: repo.id }, select: { digest: true } }),
        tx.recycledManifest.findMany({ where: { repositoryId: repo.id }, select: { digest: true } }),
      ]);
      await queueBlobReviews(tx, [...links, ...manifests, ...binned].map((x) => x.digest), repo.registryId);
      await tx.repository.delete({ where: { id: repo.id } });
      const counts = { manifests: manifests.length, tags: tags.length };
      await emitEvent(tx, { ...by, action: "repository.delete", target: repo.fullName, registryId: repo.registryId, repository: repo.name, before: counts, hook: { action: "delete", target: { repository: repo.name } } });
      return counts;
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
}
