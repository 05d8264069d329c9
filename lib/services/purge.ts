import crypto from "node:crypto";
import { db } from "../core/db";
import { logger } from "../core/logging";
import { parseDuration } from "../core/duration";
import { conflict, denied, invalid, isWharfError } from "../core/errors";
import { authorize } from "../auth/authorize";
import { actorName, type Actor } from "../auth/actor";
import { deleteBlockedBy } from "../registry/locks";
import { deleteManifest } from "../registry/manifest-delete";
import { ruleMatches } from "../registry/tag-rules";
import { recordActivityAfter } from "./activity";
import { findRegistry, loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";
import { matchNames, parseFilters, type PurgeFilter } from "./purge-filter";
import { planRepository, planSize, type PlannedManifest, type PlannedTag, type RepositoryPlan, type RepositorySnapshot } from "./purge-plan";
import { repoRef, repositoryVisibility, requireDeleteSomewhere } from "./repository-access";

/**
 * `az acr purge`: untag tags that match a filter and were last updated before now − ago (keeping the newest `keep`
 * per repository), then with `untagged` delete the manifests left without tags. `planPurge` says exactly what a run
 * deletes and what it skips and why; `runPurge` deletes that list through the engine's delete path, which re-checks
 * locks and write-once rules in its own transaction, so a lock set in between wins. Each item reports its outcome.
 */

export type PurgeInput = { registry: string; filters: string[]; ago?: string; keep?: number; untagged?: boolean };
export type PurgePlan = {
  registry: string;
  filters: string[];
  ago: string;
  keep: number;
  untagged: boolean;
  cutoff: Date;
  repositories: RepositoryPlan[];
  /** Matching repositories the caller may not see: counted, not named. */
  hiddenRepositories: number;
  counts: { tags: number; manifests: number; skipped: number; bytes: number };
  /** Identifies the exact list: the portal passes it back so a run deletes only what was previewed. */
  fingerprint: string;
};

type Outcome = { deleted: boolean; error?: string };
export type PurgeRunResult = Omit<PurgePlan, "repositories" | "counts"> & {
  repositories: (Omit<RepositoryPlan, "tags" | "manifests"> & { tags: (PlannedTag & Outcome)[]; manifests: (PlannedManifest & Outcome)[] })[];
  counts: { tagsDeleted: number; manifestsDeleted: number; failed: number; skipped: number; bytes: number; recycled: number };
};

export const MAX_PLAN_ITEMS = 10_000;
const MAX_AGO_MS = 150 * 365 * 86_400_000;

function checkOptions(input: PurgeInput): { filters: PurgeFilter[]; ago: string; agoMs: number; keep: number; untagged: boolean } {
  const filters = parseFilters(input.filters);
  const ago = String(input.ago ?? "0d").trim() || "0d";
  const agoMs = parseDuration(ago, "ago");
  if (agoMs > MAX_AGO_MS) throw invalid(`--ago ${ago} is longer than 150 years; use a shorter duration.`, "ago");
  const keep = input.keep === undefined || input.keep === null ? 0 : Number(input.keep);
  if (!Number.isInteger(keep) || keep < 0 || keep > 10_000) throw invalid(`keep must be a whole number from 0 to 10000 (got '${input.keep}').`, "keep");
  return { filters, ago, agoMs, keep, untagged: !!input.untagged };
}

/** Deleting needs "deleteImage" per repository; the caller must at least have some role on the registry to ask. */
async function deleteAccess(actor: Actor, reg: LoadedRegistry) {
  if (actor.kind === "system") return { canDelete: async () => true, canSee: () => true };
  await requireDeleteSomewhere(actor, reg);
  const registryWide = (await authorize(actor, "deleteImage", registryScope(reg))).allowed;
  const vis = await repositoryVisibility(actor, reg);
  if (!registryWide && !vis.all && !vis.names.length) throw noRole(reg.name);
  const visible = vis.all ? null : new Set(vis.names);
  return {
    canDelete: async (repository: string) =>
      registryWide || (await authorize(actor, "deleteImage", { type: "repository", registry: reg.name, repository, resourceGroup: reg.resourceGroupName })).allowed,
    canSee: (repository: string) => registryWide || !visible || visible.has(repository),
  };
}

const noRole = (registry: string) => denied(`You have no role on registry ${registry} or its repositories. Ask an Owner for Contributor or AcrDelete to purge.`);

/** For front doors that validate before calling (server actions): DENIED when the actor could not purge anything here. */
export async function precheckPurge(actor: Actor, registry: unknown): Promise<void> {
  const reg = await findRegistry(registry);
  if (reg) await requireDeleteSomewhere(actor, reg);
}

async function snapshot(repo: { id: string; name: string; writeEnabled: boolean; deleteEnabled: boolean }): Promise<RepositorySnapshot> {
  const flags = { writeEnabled: true, deleteEnabled: true } as const;
  // One read transaction: the three lists describe the same moment.
  const [manifests, tags, refs] = await db().$transaction([
    db().manifest.findMany({ where: { repositoryId: repo.id }, select: { id: true, digest: true, updatedAt: true, subjectDigest: true, size: true, contentSize: true, ...flags } }),
    db().tag.findMany({ where: { repositoryId: repo.id }, select: { name: true, manifestId: true, updatedAt: true, ...flags } }),
    db().manifestReference.findMany({ where: { kind: "manifest", manifest: { repositoryId: repo.id } }, select: { manifestId: true, digest: true } }),
  ]);
  const children = new Map<string, string[]>();
  for (const r of refs) (children.get(r.manifestId) ?? children.set(r.manifestId, []).get(r.manifestId)!).push(r.digest);
  return {
    name: repo.name,
    locked: deleteBlockedBy(repo),
    manifests: manifests.map((m) => ({ id: m.id, digest: m.digest, updatedAt: m.updatedAt, subjectDigest: m.subjectDigest, locked: deleteBlockedBy(m), bytes: m.size + Number(m.contentSize) })),
    tags: tags.map((t) => ({ name: t.name, manifestId: t.manifestId, updatedAt: t.updatedAt, locked: deleteBlockedBy(t) })),
    children,
  };
}

function fingerprintOf(plans: RepositoryPlan[]): string {
  const items = plans.flatMap((p) => [...p.tags.map((t) => `t ${p.repository}:${t.tag}@${t.digest}`), ...p.manifests.map((m) => `m ${p.repository}@${m.digest}`)]);
  return crypto.createHash("sha256").update(items.sort().join("\n")).digest("hex").slice(0, 32);
}

/** Exactly what `runPurge` with the same input would delete now, and what it would skip and why. Deletes nothing. */
export async function planPurge(actor: Actor, input: PurgeInput): Promise<PurgePlan> {
  const reg = await loadRegistry(input?.registry);
  const access = await deleteAccess(actor, reg);
  const opts = checkOptions(input);
  const cutoff = new Date(Date.now() - opts.agoMs);
  const repos = await db().repository.findMany({ where: { registryId: reg.id }, orderBy: { name: "asc" }, select: { id: true, name: true, writeEnabled: true, deleteEnabled: true } });
  const perFilter = opts.filters.map((f) => matchNames([f.repository], repos.map((r) => r.name)));
  const rules = await db().tagRule.findMany({ where: { registryId: reg.id }, orderBy: { createdAt: "asc" }, select: { repositoryPattern: true, tagPattern: true } });
  const plans: RepositoryPlan[] = [];
  let hidden = 0;
  for (const [i, repo] of repos.entries()) {
    const tagSources = opts.filters.filter((_, f) => perFilter[f][i]).map((f) => f.tag);
    if (!tagSources.length) continue;
    if (!(await access.canDelete(repo.name))) {
      if (access.canSee(repo.name)) plans.push({ repository: repo.name, tags: [], manifests: [], skipped: [{ reason: "not-authorised", message: `You may not delete images in ${reg.name}/${repo.name}: it needs Contributor, Owner or AcrDelete there.` }] });
      else hidden++;
      continue;
    }
    const snap = await snapshot(repo);
    const writeOnce = (tag: string) => {
      const rule = rules.find((r) => ruleMatches(r, repo.name, tag));
      return rule ? `rule: repositories '${rule.repositoryPattern}', tags '${rule.tagPattern}'` : null;
    };
    const plan = planRepository(snap, { cutoff, keep: opts.keep, untagged: opts.untagged, tagMatches: matchNames(tagSources, snap.tags.map((t) => t.name)), writeOnce });
    if (plan.tags.length || plan.manifests.length || plan.skipped.length) plans.push(plan);
    if (planSize(plans) > MAX_PLAN_ITEMS) {
      throw invalid(`This purge would delete more than ${MAX_PLAN_ITEMS.toLocaleString("en")} tags and manifests at once. Narrow the filters or use a longer --ago, and purge in several steps.`, "filters");
    }
  }
  const manifests = plans.flatMap((p) => p.manifests);
  return {
    registry: reg.name,
    filters: opts.filters.map((f) => f.text),
    ago: opts.ago,
    keep: opts.keep,
    untagged: opts.untagged,
    cutoff,
    repositories: plans,
    hiddenRepositories: hidden,
    counts: {
      tags: plans.reduce((n, p) => n + p.tags.length, 0),
      manifests: manifests.length,
      skipped: plans.reduce((n, p) => n + p.skipped.length, 0),
      bytes: manifests.reduce((n, m) => n + m.bytes, 0),
    },
    fingerprint: fingerprintOf(plans),
  };
}

/** A refusal's own message; anything unexpected is logged and the run goes on with the next item. */
function messageOf(err: unknown, what: string): string {
  if (isWharfError(err)) return err.message;
  logger().error({ err, what }, "purge: unexpected error");
  return "Unexpected error; the server log has the details.";
}

/**
 * Deletes what `planPurge` lists, item by item, through the engine (locks and write-once rules are checked again in
 * each delete's transaction). With `fingerprint` (from a preview) it refuses when the list is no longer the same.
 * One activity entry records the run.
 */
export async function runPurge(actor: Actor, input: PurgeInput & { fingerprint?: string }): Promise<PurgeRunResult> {
  const plan = await planPurge(actor, input);
  if (input.fingerprint && input.fingerprint !== plan.fingerprint) {
    throw conflict("What this purge would delete has changed since the preview (something was pushed, tagged, locked or deleted). Preview again, then delete.", "fingerprint");
  }
  const reg = await loadRegistry(plan.registry);
  const who = actorName(actor);
  let recycled = 0;
  const repositories: PurgeRunResult["repositories"] = [];
  for (const p of plan.repositories) {
    const row = await db().repository.findUnique({ where: { registryId_name: { registryId: reg.id, name: p.repository } }, select: { id: true, name: true } });
    const tags: (PlannedTag & Outcome)[] = [];
    const done = new Map<string, Outcome>();
    const planned = new Set(p.manifests.map((m) => m.digest));
    const extra: (PlannedManifest & Outcome)[] = [];
    for (const t of p.tags) {
      if (!row) {
        tags.push({ ...t, deleted: false, error: "The repository was deleted meanwhile." });
        continue;
      }
      try {
        await deleteManifest(repoRef(reg, row), t.tag, { actor: who, tagDigest: t.digest });
        tags.push({ ...t, deleted: true });
      } catch (err) {
        tags.push({ ...t, deleted: false, error: messageOf(err, `${p.repository}:${t.tag}`) });
      }
    }
    for (const m of p.manifests.filter((x) => x.with === null)) {
      if (!row) {
        done.set(m.digest, { deleted: false, error: "The repository was deleted meanwhile." });
        continue;
      }
      try {
        // untaggedOnly: one tagged since the plan keeps its tags (a delete by digest would take them along).
        const removed = await deleteManifest(repoRef(reg, row), m.digest, { actor: who, untaggedOnly: true });
        for (const r of removed) {
          done.set(r.digest, { deleted: true });
          if (r.recycled) recycled++;
          // Pushed after the plan and taken along by the engine: reported, not hidden.
          if (!planned.has(r.digest)) extra.push({ digest: r.digest, lastUpdateTime: m.lastUpdateTime, bytes: r.size + r.contentSize, with: m.digest, deleted: true });
        }
      } catch (err) {
        done.set(m.digest, { deleted: false, error: messageOf(err, `${p.repository}@${m.digest}`) });
      }
    }
    const outcome = (m: PlannedManifest): Outcome => {
      const own = done.get(m.digest);
      if (own) return own;
      if (m.with && !done.get(m.with)?.deleted) return { deleted: false, error: `Not deleted, because ${m.with} was not.` };
      return { deleted: false, error: "Kept: it was tagged, locked or named by another manifest after the plan was made." };
    };
    const manifests = [...p.manifests.map((m) => ({ ...m, ...outcome(m) })), ...extra];
    repositories.push({ ...p, tags, manifests });
  }
  const all = { tags: repositories.flatMap((r) => r.tags), manifests: repositories.flatMap((r) => r.manifests) };
  const counts = {
    tagsDeleted: all.tags.filter((t) => t.deleted).length,
    manifestsDeleted: all.manifests.filter((m) => m.deleted).length,
    failed: [...all.tags, ...all.manifests].filter((x) => !x.deleted).length,
    skipped: plan.counts.skipped,
    bytes: all.manifests.filter((m) => m.deleted).reduce((n, m) => n + m.bytes, 0),
    recycled,
  };
  await recordActivityAfter({
    actor: who,
    action: "registry.purge",
    target: reg.name,
    registryId: reg.id,
    after: { filters: plan.filters, ago: plan.ago, keep: plan.keep, untagged: plan.untagged, ...counts },
  });
  const { counts: _planCounts, repositories: _planned, ...rest } = plan;
  return { ...rest, repositories, counts };
}
