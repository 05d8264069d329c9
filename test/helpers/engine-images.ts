import crypto from "node:crypto";
import { db } from "../../lib/core/db";
import { manifestService } from "../../lib/registry/manifest-service";
import { blobDataPath } from "../../lib/registry/paths";
import { storage } from "../../lib/registry/storage";
import type { Repo } from "../../lib/registry/repository-resolver";

/**
 * Images pushed through the real engine (manifestService.put) in a unit test's temporary database: for service tests
 * that need tags, untagged manifests, indexes and referrers without a running server.
 */

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const sha = (b: Buffer) => `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;

export async function engineRepo(registryId: string, registry: string, name: string): Promise<Repo> {
  const r = await db().repository.upsert({ where: { registryId_name: { registryId, name } }, create: { registryId, name }, update: {} });
  return { id: r.id, registryId, registry, name, fullName: `${registry}/${name}` };
}

/** Bytes stored and linked into `r` directly (no upload session), for tests that seed repositories. */
export async function blob(r: Repo, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha(bytes);
  await storage().putContent(blobDataPath(digest), bytes);
  await db().blob.upsert({ where: { digest }, create: { digest, size: BigInt(bytes.length) }, update: {} });
  await db().blobLink.upsert({ where: { repositoryId_digest: { repositoryId: r.id, digest } }, create: { repositoryId: r.id, digest }, update: {} });
  return { digest, size: bytes.length };
}

/** A fresh single-platform image (random layer) pushed to `reference` (a tag or, with `byDigest`, its own digest). */
export async function pushImage(r: Repo, tag: string | null, opts: { arch?: string; subject?: { digest: string; size: number } } = {}) {
  const layer = await blob(r, crypto.randomBytes(300));
  const config = await blob(r, Buffer.from(JSON.stringify({ os: "linux", architecture: opts.arch ?? "amd64", rootfs: { type: "layers", diff_ids: [] }, n: crypto.randomUUID() })));
  const doc = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }],
    ...(opts.subject ? { subject: { mediaType: OCI_MANIFEST, ...opts.subject }, artifactType: "application/vnd.example.signature" } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  const digest = sha(bytes);
  await manifestService.put(r, tag ?? digest, bytes, OCI_MANIFEST);
  return { digest, size: bytes.length };
}

/** An index of `children` (already pushed), pushed to `tag` or by digest. */
export async function pushIndex(r: Repo, tag: string | null, children: { digest: string; size: number }[]) {
  const doc = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: children.map((c, i) => ({ mediaType: OCI_MANIFEST, ...c, platform: { os: "linux", architecture: i ? "arm64" : "amd64" } })) };
  const bytes = Buffer.from(JSON.stringify(doc));
  const digest = sha(bytes);
  await manifestService.put(r, tag ?? digest, bytes, OCI_INDEX);
  return { digest, size: bytes.length };
}

/** Moves a manifest's and its tags' last update into the past (ages are what purge and retention compare). */
export async function age(repositoryId: string, days: number, where: { digest?: string; tag?: string } = {}): Promise<void> {
  const at = new Date(Date.now() - days * 86_400_000);
  if (where.tag) await db().tag.updateMany({ where: { repositoryId, name: where.tag }, data: { updatedAt: at } });
  const manifests = { repositoryId, ...(where.digest ? { digest: where.digest } : {}) };
  if (where.digest || !where.tag) {
    await db().manifest.updateMany({ where: manifests, data: { updatedAt: at, createdAt: at } });
    await db().manifest.updateMany({ where: { ...manifests, untaggedAt: { not: null } }, data: { untaggedAt: at, updatedAt: at } });
  }
  if (!where.tag && !where.digest) await db().tag.updateMany({ where: { repositoryId }, data: { updatedAt: at } });
}
