import { db } from "../core/db";
import { isDigest, parseDigest } from "../core/digest";
import { manifestUnknown } from "../core/errors";
import { isValidTag } from "../core/names";
import { hotReads, type ManifestRow } from "./hot-reads";
import { lockDenied, type LockedThing } from "./locks";
import { manifestBytes } from "./manifest-cache";
import type { Descriptor } from "./manifest-schema";
import { isIndexType } from "./media-types";
import { blobDataPath } from "./paths";
import type { Repo } from "./repository-resolver";
import { storage } from "./storage";

export type StoredManifest = { digest: string; mediaType: string; size: number };

function readLocked(repo: Repo, m: ManifestRow, tag: string | null) {
  const level = m.readLock!;
  const thing: LockedThing =
    level === "repository" ? { level, repository: repo.fullName } : level === "tag" ? { level, repository: repo.fullName, tag: tag! } : { level, repository: repo.fullName, digest: m.digest };
  return lockDenied("read", thing, "readEnabled");
}

/** The row of a manifest by tag or digest; MANIFEST_UNKNOWN (also for a reference that could name nothing), or DENIED by a read lock. */
export async function resolveManifest(repo: Repo, reference: string): Promise<StoredManifest> {
  if (isDigest(reference)) {
    const m = await hotReads().manifestByDigest(repo.id, reference);
    if (!m) throw manifestUnknown(`Manifest ${reference} is not in ${repo.fullName}.`, { digest: reference });
    if (m.readLock) throw readLocked(repo, m, null);
    return m;
  }
  // Neither a tag nor a digest: nothing can be stored under it, so it is unknown (404), as the distribution spec has it.
  if (!isValidTag(reference)) {
    throw manifestUnknown(`'${reference}' is neither a tag nor a digest (sha256:<64 hex> or sha512:<128 hex>), so ${repo.fullName} has no manifest under it.`, {
      reference,
    });
  }
  const m = await hotReads().manifestByTag(repo.id, reference);
  if (!m) throw manifestUnknown(`Tag '${reference}' is not in ${repo.fullName}. List the tags with GET /v2/${repo.fullName}/tags/list.`, { tag: reference });
  if (m.readLock) throw readLocked(repo, m, reference);
  return m;
}

export async function manifestBytesOf(m: StoredManifest): Promise<Buffer> {
  const hit = manifestBytes().get(m.digest);
  if (hit) return hit;
  const b = await storage().getContent(blobDataPath(m.digest));
  manifestBytes().set(m.digest, b);
  return b;
}

/**
 * What to send for a client's Accept list: the stored manifest when accepted; for an index the client cannot
 * read, its linux/amd64 image (as Distribution does).
 */
export async function negotiateManifest(repo: Repo, m: StoredManifest, accept: string[] | null): Promise<StoredManifest> {
  if (!accept || accept.length === 0 || accept.includes("*/*") || accept.includes(m.mediaType)) return m;
  if (!isIndexType(m.mediaType)) return m; // like Distribution and ACR: an image manifest is served as stored
  const child = await db().manifestReference.findFirst({
    where: { manifest: { repositoryId: repo.id, digest: m.digest }, kind: "manifest", platform: "linux/amd64" },
    select: { digest: true },
  });
  const resolved = child
    ? await db().manifest.findUnique({
        where: { repositoryId_digest: { repositoryId: repo.id, digest: child.digest } },
        select: { digest: true, mediaType: true, size: true, readEnabled: true },
      })
    : null;
  if (resolved && !resolved.readEnabled) throw lockDenied("read", { level: "manifest", repository: repo.fullName, digest: resolved.digest }, "readEnabled");
  if (!resolved || !accept.includes(resolved.mediaType)) {
    throw manifestUnknown(`${m.digest} is an index (${m.mediaType}) and the client accepts only ${accept.join(", ")}. Upgrade the client, or pull a platform manifest by digest.`, {
      digest: m.digest,
    });
  }
  return resolved;
}

/** Descriptors of the manifests whose subject is `digest`, optionally of one artifactType (the referrers API). */
export async function listReferrers(repo: Repo, digest: string, artifactType?: string): Promise<Descriptor[]> {
  parseDigest(digest);
  const rows = await db().manifest.findMany({
    where: { repositoryId: repo.id, subjectDigest: digest, ...(artifactType ? { artifactType } : {}) },
    select: { digest: true, mediaType: true, size: true, artifactType: true },
    orderBy: { createdAt: "asc" },
  });
  const out: Descriptor[] = [];
  for (const r of rows) {
    const d: Descriptor = { mediaType: r.mediaType, digest: r.digest, size: r.size };
    if (r.artifactType) d.artifactType = r.artifactType;
    try {
      const doc = JSON.parse((await manifestBytesOf(r)).toString("utf8"));
      if (doc.annotations && typeof doc.annotations === "object") d.annotations = doc.annotations;
    } catch {
      /* annotations are optional; the descriptor is still right */
    }
    out.push(d);
  }
  return out;
}
