import { PassThrough, Transform, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "../../core/db";
import { isDigest } from "../../core/digest";
import type { RepositoryRef } from "../../core/names";
import { blobStore } from "../blob-store";
import { hotReads } from "../hot-reads";
import { parseManifest } from "../manifest-parse";
import { putManifest } from "../manifest-store";
import { ensureRepository, type Repo } from "../repository-resolver";
import { sharedLock } from "../shared-lock";
import { uploadSessions } from "../upload-session";
import type { UpstreamManifest } from "../upstream";
import { countStored } from "./cache-stats";
import type { ActiveRule } from "./rules";
import { noteLogin, type RuleUpstream } from "./upstream-for-rule";

/**
 * Filling the cache: content fetched from a rule's upstream is stored through the engine's own paths (an upload
 * session for blobs, verified by digest; putManifest for manifests, which checks every reference), so cached
 * content is ordinary content. Each fill runs under a cross-node lock per repository and reference, and looks
 * again after taking it: concurrent pulls of one missing thing cause one upstream fetch; the others find it stored.
 */
export type FillTarget = { rule: ActiveRule; ref: RepositoryRef; registryId: string; upstream: () => Promise<RuleUpstream> };

const fillLock = () => sharedLock("cache-fill");
/** Blobs of one manifest fetched at once. */
const BLOB_PARALLELISM = 3;

export async function localRepositoryId(t: FillTarget): Promise<string | null> {
  return hotReads().repositoryId(t.registryId, t.ref.repository);
}

/**
 * Bytes from the upstream into an upload session, and to `dest` as they pass (a client being served in the same
 * pass). A slow client slows the fetch; a client that goes away does not stop the store.
 */
async function storeStream(repo: Repo, digest: string, body: Readable, dest: Writable | null): Promise<number> {
  let size = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (!dest || dest.destroyed || dest.writableEnded || dest.write(chunk)) return cb(null, chunk);
      const go = () => {
        dest.off("drain", go);
        dest.off("close", go);
        cb(null, chunk);
      };
      dest.on("drain", go);
      dest.on("close", go);
    },
  });
  const store = new PassThrough();
  const stored = uploadSessions.upload(repo, digest, store);
  // A store refused before it read everything (a lock, a bad digest) must not leave the fetch waiting.
  stored.catch((err) => tee.destroy(err));
  await Promise.all([pipeline(body, tee, store), stored]);
  return size;
}

/**
 * The blob in the target repository: already there ("local"), or fetched now ("fetched"). `onFetch` is called once
 * the upstream answered, with the size (-1 unknown); what it returns receives the bytes as they are stored.
 */
export async function fillBlob(t: FillTarget, digest: string, onFetch?: (size: number) => Writable | null): Promise<"local" | "fetched"> {
  return fillLock().run(`blob:${t.registryId}/${t.ref.repository}@${digest}`, async () => {
    const repoId = await localRepositoryId(t);
    if (repoId && (await blobStore.stat(repoId, digest))) return "local";
    const up = await t.upstream();
    const blob = await up.client.getBlob(up.repository, digest).catch((err) => {
      noteLogin(up, err);
      throw err;
    });
    noteLogin(up, "ok");
    const repo = await ensureRepository(t.ref);
    const size = await storeStream(repo, digest, blob.body, onFetch?.(blob.size) ?? null);
    countStored(t.rule.id, size);
    return "fetched";
  });
}

export type ManifestFill = { status: "local" } | { status: "fetched"; manifest: UpstreamManifest };

/**
 * The manifest under `reference` in the target repository: fetched from the upstream, then everything it names
 * (blobs; for an index, every child manifest with its blobs), then stored — moving the tag when `reference` is a
 * tag. `onManifest` gets the upstream's bytes as soon as they are verified, so a client can be answered while its
 * blobs are still being stored (its blob requests then meet the fill under the same locks). `unless` is asked after
 * the lock is taken: true when the work was done meanwhile (by another request or node).
 */
export async function fillManifest(
  t: FillTarget,
  reference: string,
  opts: { unless: () => Promise<boolean>; onManifest?: (m: UpstreamManifest) => void },
): Promise<ManifestFill> {
  return fillLock().run(`manifest:${t.registryId}/${t.ref.repository}:${reference}`, async () => {
    if (await opts.unless()) return { status: "local" };
    const up = await t.upstream();
    const manifest = await up.client.getManifest(up.repository, reference).catch((err) => {
      noteLogin(up, err);
      throw err;
    });
    noteLogin(up, "ok");
    opts.onManifest?.(manifest);
    await storeWithReferences(t, reference, manifest);
    return { status: "fetched", manifest };
  });
}

async function storeWithReferences(t: FillTarget, reference: string, m: UpstreamManifest): Promise<void> {
  const parsed = parseManifest(m.bytes, m.mediaType);
  for (const child of parsed.children) {
    await fillManifest(t, child.d.digest, { unless: () => hasManifest(t, child.d.digest) });
  }
  const digests = [...new Set(parsed.blobs.map((b) => b.d.digest))];
  for (let i = 0; i < digests.length; i += BLOB_PARALLELISM) {
    await Promise.all(digests.slice(i, i + BLOB_PARALLELISM).map((d) => fillBlob(t, d)));
  }
  const repo = await ensureRepository(t.ref);
  // By tag the tag moves to these bytes; by digest, the upstream's digest was verified against them.
  await putManifest(repo, isDigest(reference) ? m.digest : reference, m.bytes, m.mediaType);
  countStored(t.rule.id, m.bytes.length);
  if (!isDigest(reference)) await markChecked(t, reference, m.digest);
}

export async function hasManifest(t: FillTarget, digest: string): Promise<boolean> {
  const repoId = await localRepositoryId(t);
  return !!repoId && !!(await hotReads().manifestByDigest(repoId, digest));
}

/** The tag was compared with (or fetched from) the upstream now: the TTL runs from here. */
export async function markChecked(t: FillTarget, tag: string, digest: string): Promise<void> {
  const checkedAt = new Date();
  await db().cacheTagCheck.upsert({
    where: { ruleId_repository_tag: { ruleId: t.rule.id, repository: t.ref.repository, tag } },
    create: { ruleId: t.rule.id, repository: t.ref.repository, tag, digest, checkedAt },
    update: { digest, checkedAt },
  });
}

/** When the tag was last compared with the upstream (null: never, e.g. a rule created over a pushed tag). */
export async function lastChecked(t: FillTarget, tag: string): Promise<Date | null> {
  const row = await db().cacheTagCheck.findUnique({ where: { ruleId_repository_tag: { ruleId: t.rule.id, repository: t.ref.repository, tag } }, select: { checkedAt: true } });
  return row?.checkedAt ?? null;
}
