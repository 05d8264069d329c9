import type { Writable } from "node:stream";
import { isDigest } from "../../core/digest";
import { blobUnknown, manifestUnknown } from "../../core/errors";
import { logger } from "../../core/logging";
import type { RepositoryRef } from "../../core/names";
import { blobStore } from "../blob-store";
import { hotReads, type ManifestRow } from "../hot-reads";
import type { Descriptor } from "../manifest-schema";
import { findRegistryId } from "../repository-resolver";
import { isUpstreamError, type UpstreamManifest } from "../upstream";
import { countHit, countMiss, countRefresh, countUpstreamError } from "./cache-stats";
import { fillBlob, fillManifest, lastChecked, localRepositoryId, markChecked, type FillTarget } from "./fill";
import { cacheRuleFor } from "./rules";
import { ruleFailure, upstreamFor, type RuleUpstream } from "./upstream-for-rule";

/**
 * What the data plane asks for a name under a cache rule. Answers say where the content comes from: "local"
 * (stored; the ordinary handler serves it, possibly `stale` when the upstream could not be asked) or the upstream's
 * own bytes, served while they are being stored. Digest pulls never ask the upstream once stored; tags do after the
 * rule's TTL, so a moved upstream tag is followed.
 */

/** The target of a rule covering `ref`, or null (no rule; or a repository locked against reads: its locks answer). */
export async function cacheTarget(ref: RepositoryRef): Promise<FillTarget | null> {
  const registryId = await findRegistryId(ref.registry);
  if (!registryId) return null;
  const rule = await cacheRuleFor(registryId, ref.repository);
  if (!rule) return null;
  const t: FillTarget = { rule, ref, registryId, upstream: memo(() => upstreamFor(rule, ref.repository)) };
  const repoId = await localRepositoryId(t);
  if (repoId && !(await hotReads().repositoryReadable(repoId))) return null;
  return t;
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= fn());
}

export type ManifestAnswer = { kind: "local"; stale: string | null } | { kind: "upstream"; manifest: UpstreamManifest };

async function localManifest(t: FillTarget, reference: string): Promise<ManifestRow | null> {
  const repoId = await localRepositoryId(t);
  if (!repoId) return null;
  return isDigest(reference) ? hotReads().manifestByDigest(repoId, reference) : hotReads().manifestByTag(repoId, reference);
}

const fresh = (t: FillTarget, checked: Date | null) => !!checked && checked.getTime() + t.rule.ttlSeconds * 1000 > Date.now();

export async function pullManifest(t: FillTarget, reference: string): Promise<ManifestAnswer> {
  const local = await localManifest(t, reference);
  if (local && (isDigest(reference) || fresh(t, await lastChecked(t, reference)))) {
    countHit(t.rule.id);
    return { kind: "local", stale: null };
  }
  let stale: string | null = null;
  // Asked again under the fill lock: another request (or node) may have fetched or revalidated meanwhile.
  const unless = async (): Promise<boolean> => {
    const now = await localManifest(t, reference);
    if (!now) return false;
    if (isDigest(reference) || fresh(t, await lastChecked(t, reference))) return true;
    const up = await t.upstream();
    const head = await up.client.headManifest(up.repository, reference);
    if (head && head.digest !== now.digest) return false;
    // Unchanged upstream; or gone there, and the cached copy is what we have.
    await markChecked(t, reference, now.digest);
    countRefresh(t.rule.id);
    if (!head) stale = `The upstream ${up.client.host}/${up.repository} no longer has tag '${reference}'; serving the cached copy.`;
    return true;
  };
  try {
    const answer = await fetchManifest(t, reference, unless);
    if (answer.kind === "local") countHit(t.rule.id);
    return answer.kind === "local" ? { kind: "local", stale } : answer;
  } catch (err) {
    // The upstream failed, but a copy is stored: serve it, saying it may be stale.
    if (isUpstreamError(err) && (await localManifest(t, reference))) {
      countUpstreamError(t.rule.id, err.message);
      countHit(t.rule.id);
      return { kind: "local", stale: `The upstream could not be asked (${err.message}); serving the cached copy.` };
    }
    throw ruleFailure(t.rule, await t.upstream(), err, (m) => manifestUnknown(m, { reference }));
  }
}

/**
 * Runs the fill; answers as soon as the upstream's manifest arrived (the client gets it while its blobs are still
 * being stored) or the fill found the manifest local. A failure after the answer is logged and counted.
 */
async function fetchManifest(t: FillTarget, reference: string, unless: () => Promise<boolean>): Promise<ManifestAnswer> {
  let answered = false;
  let early!: (m: UpstreamManifest) => void;
  const arrived = new Promise<UpstreamManifest>((resolve) => (early = resolve));
  const fill = fillManifest(t, reference, { unless, onManifest: (m) => early(m) });
  fill.catch((err) => {
    if (!answered) return;
    countUpstreamError(t.rule.id, (err as Error).message);
    logger().warn({ rule: t.rule.name, repository: t.ref.fullName, reference, err: (err as Error).message }, "cache fill failed after the manifest was served; the next pull fetches again");
  });
  const answer = await Promise.race([arrived.then((manifest) => ({ kind: "upstream" as const, manifest })), fill.then(() => ({ kind: "local" as const, stale: null }))]);
  if (answer.kind === "upstream") {
    answered = true;
    countMiss(t.rule.id);
  }
  return answer;
}

/**
 * A blob under the rule: "local" (stored, or stored now by a fill that `onFetch`'s destination did not see), or
 * "streamed" when this request fetched it and its bytes went to the destination `onFetch` returned.
 */
export async function pullBlob(t: FillTarget, digest: string, onFetch?: (size: number) => Writable | null): Promise<"local" | "streamed"> {
  const repoId = await localRepositoryId(t);
  if (repoId && (await blobStore.stat(repoId, digest))) {
    countHit(t.rule.id);
    return "local";
  }
  let streamed = false;
  try {
    const r = await fillBlob(t, digest, onFetch ? (size) => ((streamed = true), onFetch(size)) : undefined);
    if (r === "fetched") countMiss(t.rule.id);
    else countHit(t.rule.id);
  } catch (err) {
    if (streamed) throw err;
    throw ruleFailure(t.rule, await t.upstream(), err, (m) => blobUnknown(m, { digest }));
  }
  return streamed ? "streamed" : "local";
}

export type ReferrersAnswer = { origin: "upstream"; descriptors: Descriptor[] } | { origin: "cache"; stale: string | null };

/** The upstream's referrers of a subject when it answers (filtered by artifactType here too), else what is stored. */
export async function pullReferrers(t: FillTarget, digest: string, artifactType?: string): Promise<ReferrersAnswer> {
  let up: RuleUpstream | null = null;
  try {
    up = await t.upstream();
    const index = await up.client.getReferrers(up.repository, digest);
    if (!index) return { origin: "cache", stale: null };
    const descriptors = index.manifests.filter((d) => !artifactType || d.artifactType === artifactType) as Descriptor[];
    return { origin: "upstream", descriptors };
  } catch (err) {
    if (!isUpstreamError(err)) throw err;
    countUpstreamError(t.rule.id, err.message);
    return { origin: "cache", stale: `The upstream could not be asked for referrers (${err.message}); listing what is cached.` };
  }
}

