import { db, type Tx } from "../core/db";
import { notFound, WharfError } from "../core/errors";
import { queueBlobReviews, queueLinkReviews, retryWhileCollected, useBlob } from "./gc-queue";
import { lockDenied } from "./locks";
import { blobDataPath } from "./paths";
import type { Repo } from "./repository-resolver";
import { storage } from "./storage";
import { refuseWriteOnce } from "./tag-rules";

/**
 * The recycle bin (soft delete): manifest-delete.ts moves a deleted manifest here with its tags and references while
 * its blobs stay linked (garbage collection counts the references of bin entries). Restoring puts the rows back in one
 * transaction; purging (Delete now, or expiry) drops the entry and queues what it held for garbage collection.
 */

export type RestoreOptions = {
  /** The tag the caller named (`repo:tag`): the entry must have had it. */
  tag?: string;
  /** Move a tag that now points at another manifest back to the restored one (never a locked or write-once tag). */
  force?: boolean;
};

/** A restore that cannot be done as things are now; `field` says what stands in the way ("tag": a tag moved since). */
const conflict = (message: string, field: "tag" | "digest", detail: Record<string, string>) => new WharfError("CONFLICT", message, { field, detail });

/** One manifest put back: the tags it got back, those moved from another manifest, and its bytes. */
export type RestoredManifest = { digest: string; tags: string[]; movedTags: string[]; size: number; contentSize: number };

/** One bin entry removed for good; `repository` is its name in the registry. */
export type PurgedEntry = { id: string; registryId: string; repository: string; digest: string; tags: string[]; size: number; contentSize: number };

const TX_OPTIONS = { maxWait: 30_000, timeout: 60_000 };
const ENTRY = {
  id: true, registryId: true, repositoryId: true, digest: true, mediaType: true, artifactType: true, size: true, subjectDigest: true,
  configDigest: true, contentSize: true, tags: true, createdAt: true, expiresAt: true,
  references: { select: { digest: true, kind: true, size: true, platform: true } },
} as const;

type Entry = NonNullable<Awaited<ReturnType<typeof loadEntry>>>;

function loadEntry(tx: Tx, repositoryId: string, digest: string) {
  return tx.recycledManifest.findUnique({ where: { repositoryId_digest: { repositoryId, digest } }, select: ENTRY });
}

export const tagsOf = (json: string): string[] => {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
};

/**
 * Puts a deleted manifest back with its references and tags; an index's platform manifests still in the bin come
 * back first, so an index deleted with its children is restored whole. Refused (nothing changes) when the repository
 * is write-locked, a blob or child manifest it names is gone, or one of its tag names now points at another manifest
 * (CONFLICT; `force` moves the tag unless it is locked or write-once). The manifest's own blob is claimed first, so a
 * collector cannot be deleting its bytes.
 */
export async function restoreManifest(repo: Repo, digest: string, opts: RestoreOptions = {}): Promise<RestoredManifest[]> {
  return retryWhileCollected(() =>
    db().$transaction(async (tx) => {
      const r = await tx.repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true } });
      if (!r) throw notFound(`Repository ${repo.fullName} was deleted; its recycle bin entries went with it.`, "repository");
      if (!r.writeEnabled) throw lockDenied("write", { level: "repository", repository: repo.fullName }, "writeEnabled");
      const entry = await loadEntry(tx, repo.id, digest);
      if (!entry) throw notInBin(repo, digest);
      if (opts.tag !== undefined && !tagsOf(entry.tags).includes(opts.tag)) {
        throw notFound(`Manifest ${digest} in the recycle bin of ${repo.fullName} did not have tag '${opts.tag}'. List what it had with \`wharf manifest list-deleted\`.`, "tag");
      }
      const out: RestoredManifest[] = [];
      await restoreEntry(tx, repo, entry, !!opts.force, out, new Set());
      return out;
    }, TX_OPTIONS),
  );
}

function notInBin(repo: Repo, digest: string) {
  return notFound(`Manifest ${digest} is not in the recycle bin of ${repo.fullName}: it was restored, deleted for good, or expired.`, "digest");
}

async function restoreEntry(tx: Tx, repo: Repo, entry: Entry, force: boolean, out: RestoredManifest[], path: Set<string>): Promise<void> {
  path.add(entry.digest);
  // Children first: an index may name only manifests the repository holds.
  for (const child of entry.references.filter((x) => x.kind === "manifest")) {
    if (path.has(child.digest) || out.some((m) => m.digest === child.digest)) continue;
    const have = await tx.manifest.count({ where: { repositoryId: repo.id, digest: child.digest } });
    if (have) continue;
    const binned = await loadEntry(tx, repo.id, child.digest);
    if (!binned) {
      throw conflict(`Index ${entry.digest} names manifest ${child.digest}, which is no longer in ${repo.fullName} or its recycle bin, so the index cannot be restored. Push that manifest again, then restore.`, "digest", { digest: child.digest });
    }
    await restoreEntry(tx, repo, binned, force, out, path);
  }
  await requireBlobLinks(tx, repo, entry);
  // The manifest's bytes: claimed so a collector cannot delete them under us (it waits, then sees the manifest).
  await useBlob(tx, entry.digest, entry.size);
  const st = await storage().stat(blobDataPath(entry.digest));
  if (!st) throw conflict(`The bytes of manifest ${entry.digest} are missing from storage, so it cannot be restored. Push it again instead.`, "digest", { digest: entry.digest });

  // Re-pushed since it was deleted: the row is there already; only the tags come back.
  let m = await tx.manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest: entry.digest } }, select: { id: true } });
  if (!m) {
    m = await tx.manifest.create({
      data: {
        repositoryId: repo.id,
        digest: entry.digest,
        mediaType: entry.mediaType,
        artifactType: entry.artifactType,
        size: entry.size,
        subjectDigest: entry.subjectDigest,
        configDigest: entry.configDigest,
        contentSize: entry.contentSize,
        createdAt: entry.createdAt,
      },
      select: { id: true },
    });
    const manifestId = m.id;
    if (entry.references.length) await tx.manifestReference.createMany({ data: entry.references.map((x) => ({ manifestId, ...x })) });
  }
  const { tags, moved } = await restoreTags(tx, repo, entry, m.id, force);
  await tx.recycledManifest.delete({ where: { id: entry.id } });
  out.push({ digest: entry.digest, tags, movedTags: moved, size: entry.size, contentSize: Number(entry.contentSize) });
}

/**
 * Every blob the manifest names must still be linked. The update takes each link's write lock, so a collector
 * reviewing one either went first (refused here, nothing changed) or waits and then finds the restored references.
 */
async function requireBlobLinks(tx: Tx, repo: Repo, entry: Entry): Promise<void> {
  const digests = [...new Set(entry.references.filter((x) => x.kind === "blob").map((x) => x.digest))];
  if (!digests.length) return;
  const { count } = await tx.blobLink.updateMany({ where: { repositoryId: repo.id, digest: { in: digests } }, data: { lastReferencedAt: new Date() } });
  if (count === digests.length) return;
  const have = new Set((await tx.blobLink.findMany({ where: { repositoryId: repo.id, digest: { in: digests } }, select: { digest: true } })).map((l) => l.digest));
  const missing = digests.find((d) => !have.has(d))!;
  throw conflict(`Manifest ${entry.digest} names blob ${missing}, which is no longer in ${repo.fullName}, so it cannot be restored. Push the image again instead.`, "digest", { digest: missing });
}

async function restoreTags(tx: Tx, repo: Repo, entry: Entry, manifestId: string, force: boolean): Promise<{ tags: string[]; moved: string[] }> {
  const names = tagsOf(entry.tags);
  const moved: string[] = [];
  for (const name of names) {
    const t = await tx.tag.findUnique({
      where: { repositoryId_name: { repositoryId: repo.id, name } },
      select: { id: true, manifestId: true, writeEnabled: true, manifest: { select: { digest: true } } },
    });
    if (!t) {
      await tx.tag.create({ data: { repositoryId: repo.id, name, manifestId } });
      continue;
    }
    if (t.manifestId === manifestId) continue;
    if (!force) {
      throw conflict(
        `Tag '${name}' of ${repo.fullName} now points at ${t.manifest.digest}, so restoring ${entry.digest} would move it. Restore with --force (portal: "Restore and move the tag") to move it back, or push the other manifest under a new tag first.`,
        "tag",
        { tag: name, digest: t.manifest.digest },
      );
    }
    if (!t.writeEnabled) throw lockDenied("write", { level: "tag", repository: repo.fullName, tag: name }, "writeEnabled");
    await refuseWriteOnce(tx, repo, name, "move");
    await tx.tag.update({ where: { id: t.id }, data: { manifestId } });
    moved.push(name);
  }
  return { tags: names, moved };
}

/**
 * Deletes a bin entry for good (Delete now) with the entries of platform manifests deleted with it that nothing else
 * names, and queues what they held for garbage collection. `expiredBy`: only if it has expired by then (expiry).
 * Null when the entry is gone already (restored, purged by someone else, or its repository deleted).
 */
export async function purgeEntry(entryId: string, opts: { expiredBy?: Date } = {}): Promise<PurgedEntry[] | null> {
  return db().$transaction(async (tx) => {
    const e = await tx.recycledManifest.findUnique({ where: { id: entryId }, select: { ...ENTRY, repository: { select: { name: true } } } });
    if (!e || (opts.expiredBy && e.expiresAt > opts.expiredBy)) return null;
    const out: PurgedEntry[] = [];
    await purgeOne(tx, e, e.repository.name, out);
    return out;
  }, TX_OPTIONS);
}

async function purgeOne(tx: Tx, e: Entry, repository: string, out: PurgedEntry[]): Promise<void> {
  await tx.recycledManifest.delete({ where: { id: e.id } });
  await queueLinkReviews(tx, e.repositoryId, e.references.filter((x) => x.kind === "blob").map((x) => x.digest));
  await queueBlobReviews(tx, [e.digest], e.registryId);
  out.push({ id: e.id, registryId: e.registryId, repository, digest: e.digest, tags: tagsOf(e.tags), size: e.size, contentSize: Number(e.contentSize) });
  for (const child of e.references.filter((x) => x.kind === "manifest")) {
    const c = await loadEntry(tx, e.repositoryId, child.digest);
    if (!c) continue;
    // Kept when another entry still in the bin or a manifest of the repository names it (it may be restored with that one).
    const [named, binned] = await Promise.all([
      tx.manifestReference.count({ where: { digest: c.digest, kind: "manifest", manifest: { repositoryId: e.repositoryId } } }),
      tx.recycledReference.count({ where: { digest: c.digest, kind: "manifest", entry: { repositoryId: e.repositoryId } } }),
    ]);
    if (!named && !binned && !tagsOf(c.tags).length) await purgeOne(tx, c, repository, out);
  }
}

/** Removes the entries whose time in the bin is over (each re-checked in its own transaction); a dry run only lists them. */
export async function expireEntries(opts: { registryId?: string; now: Date; dryRun: boolean }): Promise<PurgedEntry[]> {
  const out: PurgedEntry[] = [];
  let after = "";
  for (;;) {
    const due = await db().recycledManifest.findMany({
      where: { expiresAt: { lte: opts.now }, id: { gt: after }, ...(opts.registryId ? { registryId: opts.registryId } : {}) },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true, registryId: true, digest: true, tags: true, size: true, contentSize: true, repository: { select: { name: true } } },
    });
    if (!due.length) break;
    after = due[due.length - 1].id;
    for (const e of due) {
      if (out.some((p) => p.id === e.id)) continue; // gone with its index already
      if (opts.dryRun) {
        out.push({ id: e.id, registryId: e.registryId, repository: e.repository.name, digest: e.digest, tags: tagsOf(e.tags), size: e.size, contentSize: Number(e.contentSize) });
        continue;
      }
      out.push(...((await purgeEntry(e.id, { expiredBy: opts.now })) ?? []));
    }
  }
  return out;
}
