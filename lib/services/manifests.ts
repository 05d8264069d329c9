import { db } from "../core/db";
import { invalid, isWharfError, notFound } from "../core/errors";
import { isDigest } from "../core/digest";
import { isValidTag } from "../core/names";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { manifestService, type Descriptor } from "../registry/manifest-service";
import { isIndexType } from "../registry/media-types";
import { blobDataPath } from "../registry/paths";
import { storage } from "../registry/storage";
import type { LockFlags } from "../registry/locks";
import { loadRegistry } from "./load-registry";
import { deleteBlockers } from "./delete-blockers";
import { checkRepositoryName, LOCK_SELECT, loadRepository, locksOf, repoRef, requireRepositoryRead } from "./repository-access";
import { indexChildren, type IndexChild } from "./tags";

/** One manifest as the portal's manifest page shows it, and deleting one. */

const MAX_CONFIG_BYTES = 1024 * 1024;

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
  /** Why deleting it would be refused (a lock, a write-once tag), or null. */
  deleteBlocked: string | null;
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

const platformText = (p: Descriptor["platform"]) => (p?.os && p.architecture ? `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}` : null);

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
  if (!row) throw notFound(`${isDigest(reference) ? `Manifest ${reference}` : `Tag '${reference}'`} is not in ${reg.name}/${name}.`, "reference");
  const bytes = await manifestService.bytes({ digest: row.digest, mediaType: row.mediaType, size: row.size });
  const doc = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  const index = isIndexType(row.mediaType);
  const [tags, referrers, kids] = await Promise.all([
    db().tag.findMany({ where: { manifestId: row.id }, orderBy: { name: "asc" }, select: { name: true, ...LOCK_SELECT } }),
    manifestService.referrers(repoRef(reg, repo), row.digest),
    index ? indexChildren(repo.id, [row.id]) : Promise.resolve(new Map<string, IndexChild[]>()),
  ]);
  const configDesc = !index && doc.config && typeof doc.config === "object" ? (doc.config as Descriptor) : null;
  const configDoc = configDesc ? await readJsonBlob(configDesc.digest, configDesc.size) : null;
  const isImageConfig = configDesc?.mediaType === "application/vnd.oci.image.config.v1+json" || configDesc?.mediaType === "application/vnd.docker.container.image.v1+json";
  const present = new Set((kids.get(row.id) ?? []).filter((k) => k.present).map((k) => k.digest));
  const manifests =
    index && Array.isArray(doc.manifests)
      ? (doc.manifests as Descriptor[]).map((m) => ({ ...m, platformText: platformText(m.platform), present: present.has(m.digest) }))
      : [];
  const kidsTotal = (kids.get(row.id) ?? []).reduce((s, k) => s + k.size, BigInt(0));
  const blockers = await deleteBlockers(reg.id, repo);
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
    tags: tags.map((t) => ({ name: t.name, locks: locksOf(t) })),
    config: configDesc ? { ...configDesc, summary: configDoc && isImageConfig ? summariseConfig(configDoc) : null } : null,
    layers: Array.isArray(doc.layers) ? (doc.layers as Descriptor[]) : [],
    manifests,
    annotations: doc.annotations && typeof doc.annotations === "object" ? (doc.annotations as Record<string, string>) : {},
    subject: doc.subject && typeof doc.subject === "object" ? (doc.subject as Descriptor) : null,
    referrers,
    raw: JSON.stringify(doc, null, 2),
    locks: locksOf(row),
    deleteBlocked: blockers.manifest(row, tags),
  };
}

export type ManifestDeleteResult = { digest: string; deleted: boolean; tags: string[]; recycled: boolean; bytes: number; error?: string };

/**
 * Deletes manifests by digest (each with its tags and what only it held: see lib/registry/manifest-delete.ts),
 * through the data plane's own engine so locks and write-once rules hold. One refused manifest does not stop the
 * others; each result says what happened. `bytes`: manifest and content size (freed by garbage collection unless
 * shared, or kept in the recycle bin).
 */
export async function deleteManifests(actor: Actor, input: { registry: string; repository: string; digests: string[] }): Promise<ManifestDeleteResult[]> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireActor(actor, "deleteImage", { type: "repository", registry: reg.name, repository: name, resourceGroup: reg.resourceGroupName });
  const digests = Array.isArray(input.digests) ? [...new Set(input.digests.map(String))] : [];
  if (!digests.length) throw invalid("Choose at least one manifest to delete.", "digests");
  if (digests.length > 500) throw invalid("Delete at most 500 manifests at a time.", "digests");
  const bad = digests.find((d) => !isDigest(d));
  if (bad) throw invalid(`'${bad}' is not a digest; use sha256:<64 hex digits>.`, "digests");
  const repo = await loadRepository(reg, name);
  const out: ManifestDeleteResult[] = [];
  const done = new Set<string>();
  for (const digest of digests) {
    // Deleted already with an index or a subject earlier in the list.
    if (done.has(digest)) continue;
    try {
      const removed = await manifestService.delete(repoRef(reg, repo), digest, { actor: actorName(actor) });
      for (const m of removed) {
        done.add(m.digest);
        out.push({ digest: m.digest, deleted: true, tags: m.tags, recycled: m.recycled, bytes: m.size + m.contentSize });
      }
    } catch (err) {
      if (!isWharfError(err)) throw err;
      out.push({ digest, deleted: false, tags: [], recycled: false, bytes: 0, error: err.message });
    }
  }
  return out;
}

/** One manifest by digest: throws what refused it (for the CLI's `manifest delete` and the manifest page). */
export async function deleteManifest(actor: Actor, input: { registry: string; repository: string; digest: string }): Promise<{ deleted: true; tags: string[]; manifests: ManifestDeleteResult[] }> {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireActor(actor, "deleteImage", { type: "repository", registry: reg.name, repository: name, resourceGroup: reg.resourceGroupName });
  if (!isDigest(String(input.digest ?? ""))) throw invalid(`'${input.digest}' is not a digest; use sha256:<64 hex digits>.`, "digest");
  const repo = await loadRepository(reg, name);
  const removed = await manifestService.delete(repoRef(reg, repo), input.digest, { actor: actorName(actor) });
  const manifests = removed.map((m) => ({ digest: m.digest, deleted: true, tags: m.tags, recycled: m.recycled, bytes: m.size + m.contentSize }));
  return { deleted: true, tags: removed.find((m) => m.digest === input.digest)?.tags ?? [], manifests };
}
