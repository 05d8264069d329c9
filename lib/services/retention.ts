import { db } from "../core/db";
import { invalid, isWharfError, notFound } from "../core/errors";
import { logger } from "../core/logging";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { deleteManifest } from "../registry/manifest-delete";
import { recordActivity } from "./activity";
import type { LifecycleStep, StepItem } from "./lifecycle-step";
import { loadRegistry, registryScope } from "./load-registry";

/**
 * Retention of untagged manifests (`az acr config retention`): when enabled, the garbage-collection run deletes
 * manifests that have had no tag for `days` days, counted from the moment it lost its last tag (Manifest.untaggedAt),
 * or from its push when it never had one.
 */

export type RetentionPolicy = { registry: string; status: "enabled" | "disabled"; days: number; type: "UntaggedManifests"; lastUpdatedTime: Date };

const DAY_MS = 86_400_000;
export const MAX_RETENTION_DAYS = 365;
/** Deletes per registry per run: the worker runs again soon, and each delete is its own transaction. */
const BATCH = 500;

const policyOf = (r: { name: string; retentionEnabled: boolean; retentionDays: number; updatedAt: Date }): RetentionPolicy => ({
  registry: r.name,
  status: r.retentionEnabled ? "enabled" : "disabled",
  days: r.retentionDays,
  type: "UntaggedManifests",
  lastUpdatedTime: r.updatedAt,
});

export async function showRetention(actor: Actor, input: { registry: string }): Promise<RetentionPolicy> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  return policyOf(reg);
}

export async function updateRetention(
  actor: Actor,
  input: { registry: string; status: string; days?: number | string; type?: string },
): Promise<RetentionPolicy> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const status = String(input.status ?? "").toLowerCase();
  if (status !== "enabled" && status !== "disabled") throw invalid(`Status must be 'enabled' or 'disabled' (got '${input.status ?? ""}').`, "status");
  const type = input.type === undefined ? "UntaggedManifests" : String(input.type);
  if (type.toLowerCase() !== "untaggedmanifests") throw invalid(`Type must be UntaggedManifests, the only retention policy type (got '${type}').`, "type");
  let days: number | undefined;
  if (input.days !== undefined && input.days !== "") {
    days = Number(input.days);
    if (!Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS) {
      throw invalid(`Days must be a whole number from 0 to ${MAX_RETENTION_DAYS} (got '${input.days}'); 0 deletes untagged manifests at the next run.`, "days");
    }
  }
  const row = await db().$transaction(async (tx) => {
    const before = await tx.registry.findUnique({ where: { id: reg.id }, select: { retentionEnabled: true, retentionDays: true } });
    if (!before) throw notFound(`Registry '${reg.name}' not found.`, "registry");
    const after = { retentionEnabled: status === "enabled", retentionDays: days ?? before.retentionDays };
    const updated = await tx.registry.update({ where: { id: reg.id }, data: after, select: { name: true, retentionEnabled: true, retentionDays: true, updatedAt: true } });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "registry.retention",
      target: reg.name,
      registryId: reg.id,
      before: { status: before.retentionEnabled ? "enabled" : "disabled", days: before.retentionDays },
      after: { status, days: after.retentionDays },
    });
    return updated;
  });
  return policyOf(row);
}

/**
 * Untagged, unlocked manifests older than the registry's retention, deleted through the engine (which checks locks
 * and write-once rules again, and refuses one tagged meanwhile). Index children and referrers are not picked on
 * their own: they go with their index or subject when that is deleted, and stay while it stays.
 */
export const retentionStep: LifecycleStep = {
  name: "retention",
  async run({ registryId, dryRun, now, actor }) {
    const regs = await db().registry.findMany({ where: { retentionEnabled: true, ...(registryId ? { id: registryId } : {}) }, select: { id: true, name: true, retentionDays: true } });
    const items: StepItem[] = [];
    for (const reg of regs) items.push(...(await applyRetention(reg, now, dryRun, actor)));
    return items;
  },
};

async function applyRetention(reg: { id: string; name: string; retentionDays: number }, now: Date, dryRun: boolean, actor: string): Promise<StepItem[]> {
  const cutoff = new Date(now.getTime() - reg.retentionDays * DAY_MS);
  const candidates = await db().manifest.findMany({
    where: { repository: { registryId: reg.id, deleteEnabled: true, writeEnabled: true }, tags: { none: {} }, deleteEnabled: true, writeEnabled: true,
      OR: [{ untaggedAt: { lt: cutoff } }, { untaggedAt: null, createdAt: { lt: cutoff } }],
    },
    orderBy: { createdAt: "asc" },
    take: BATCH,
    select: { digest: true, subjectDigest: true, size: true, contentSize: true, repositoryId: true, repository: { select: { name: true } } },
  });
  const items: StepItem[] = [];
  const gone = new Set<string>();
  for (const m of candidates) {
    const key = `${m.repositoryId} ${m.digest}`;
    if (gone.has(key)) continue;
    const [parent, subject] = await Promise.all([
      db().manifestReference.count({ where: { digest: m.digest, kind: "manifest", manifest: { repositoryId: m.repositoryId } } }),
      m.subjectDigest ? db().manifest.count({ where: { repositoryId: m.repositoryId, digest: m.subjectDigest } }) : Promise.resolve(0),
    ]);
    if (parent || subject) continue;
    const base = { registryId: reg.id, repository: m.repository.name };
    if (dryRun) {
      items.push({ ...base, digest: m.digest, tags: [], size: m.size + Number(m.contentSize) });
      continue;
    }
    const repo = { id: m.repositoryId, registryId: reg.id, registry: reg.name, name: m.repository.name, fullName: `${reg.name}/${m.repository.name}` };
    try {
      for (const d of await deleteManifest(repo, m.digest, { actor, untaggedOnly: true })) {
        gone.add(`${m.repositoryId} ${d.digest}`);
        items.push({ ...base, digest: d.digest, tags: d.tags, size: d.size + d.contentSize });
      }
    } catch (err) {
      // Tagged, locked or deleted since the query: it stays, the next run looks again.
      if (!isWharfError(err)) throw err;
      logger().debug({ registry: reg.name, digest: m.digest, reason: err.message }, "retention: kept");
    }
  }
  return items;
}
