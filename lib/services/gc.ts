import { config } from "../core/context";
import { db, retryOnUniqueViolation } from "../core/db";
import { parseDuration } from "../core/duration";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { collectGarbage, logReport, type GcItem, type GcProgress, type GcReport } from "../registry/gc";
import { recordActivityAfter } from "./activity";
import type { LifecycleStep, StepItem } from "./lifecycle-step";
import { loadRegistry, registryScope } from "./load-registry";
import { recycleBinStep } from "./recycle-bin";
import { retentionStep } from "./retention";

/**
 * A garbage-collection run as people start it (CLI, portal, the background worker): first the lifecycle steps that
 * delete manifests by policy (retention, recycle-bin expiry), then the collection of what no one holds any more.
 * Each run adds its figures to the registry's totals and to the activity log.
 */

/** Policy steps that run before the collection, in this order. */
const STEPS: LifecycleStep[] = [retentionStep, recycleBinStep];

export type GcRunReport = GcReport & { steps: Record<string, StepItem[]>; gracePeriodMs: number };

type RunInput = { registryId?: string; dryRun?: boolean; graceMs?: number; actor: string; onProgress?: (p: GcProgress) => void; signal?: AbortSignal };

/** Runs every step and the collection once; no authorisation here (callers check it). */
export async function runLifecycle(input: RunInput): Promise<GcRunReport> {
  const cfg = config();
  const dryRun = !!input.dryRun;
  const steps: Record<string, StepItem[]> = {};
  for (const step of STEPS) steps[step.name] = await step.run({ registryId: input.registryId, dryRun, now: new Date(), actor: input.actor });
  const graceMs = input.graceMs ?? cfg.WHARF_GC_GRACE_SECONDS * 1000;
  const report = await collectGarbage({
    registryId: input.registryId,
    graceMs,
    uploadMaxIdleMs: cfg.WHARF_UPLOAD_MAX_IDLE_SECONDS * 1000,
    dryRun,
    onProgress: input.onProgress,
    signal: input.signal,
  });
  if (!dryRun) await addToTotals(report, steps);
  logReport(report, input.registryId ?? "all");
  return { ...report, steps, gracePeriodMs: graceMs };
}

type Figures = { bytesFreed: number; blobsDeleted: number; uploadsDeleted: number; manifestsDeleted: number };

/** A run's figures per registry: freed bytes count for the registry whose delete released them. */
function figuresByRegistry(report: GcReport, steps: Record<string, StepItem[]>): Map<string, Figures> {
  const per = new Map<string, Figures>();
  const entry = (id: string) => per.get(id) ?? per.set(id, { bytesFreed: 0, blobsDeleted: 0, uploadsDeleted: 0, manifestsDeleted: 0 }).get(id)!;
  for (const i of report.items) {
    if (!i.registryId || i.kind === "link") continue;
    const e = entry(i.registryId);
    e.bytesFreed += i.size;
    if (i.kind === "blob") e.blobsDeleted++;
    else e.uploadsDeleted++;
  }
  for (const list of Object.values(steps)) for (const m of list) entry(m.registryId).manifestsDeleted++;
  return per;
}

/** Per-registry running totals (the portal's GC panel). */
async function addToTotals(report: GcReport, steps: Record<string, StepItem[]>): Promise<void> {
  const now = new Date();
  for (const [registryId, e] of figuresByRegistry(report, steps)) {
    const exists = await db().registry.count({ where: { id: registryId } });
    if (!exists) continue;
    await retryOnUniqueViolation(() => db().gcStat.upsert({
      where: { registryId },
      create: { registryId, bytesFreed: BigInt(e.bytesFreed), blobsDeleted: e.blobsDeleted, uploadsDeleted: e.uploadsDeleted, manifestsDeleted: e.manifestsDeleted, lastRunAt: now },
      update: {
        bytesFreed: { increment: BigInt(e.bytesFreed) },
        blobsDeleted: { increment: e.blobsDeleted },
        uploadsDeleted: { increment: e.uploadsDeleted },
        manifestsDeleted: { increment: e.manifestsDeleted },
        lastRunAt: now,
      },
    }));
  }
}

/** Marks a registry's (or every registry's) collection as run now, also when it freed nothing. */
export async function touchLastRun(registryId?: string): Promise<void> {
  const ids = registryId ? [registryId] : (await db().registry.findMany({ select: { id: true } })).map((r) => r.id);
  const now = new Date();
  for (const id of ids) await retryOnUniqueViolation(() => db().gcStat.upsert({ where: { registryId: id }, create: { registryId: id, lastRunAt: now }, update: { lastRunAt: now } }));
}

/** `wharf gc run`: authorisation (changePolicies on the registry, or on the organisation for all), then a run. */
export async function runGarbageCollection(actor: Actor, input: { registry?: string; dryRun?: boolean; gracePeriod?: string }): Promise<GcRunReport> {
  const reg = input.registry ? await loadRegistry(input.registry) : null;
  await requireActor(actor, "changePolicies", reg ? registryScope(reg) : { type: "organisation" });
  const graceMs = input.gracePeriod === undefined ? undefined : parseDuration(input.gracePeriod, "gracePeriod");
  const report = await runLifecycle({ registryId: reg?.id, dryRun: input.dryRun, graceMs, actor: actorName(actor) });
  if (!report.dryRun) {
    await touchLastRun(reg?.id);
    await recordGcActivity(actorName(actor), report);
  }
  return report;
}

/** One activity entry per registry a run freed something in: who ran it, and that registry's figures. */
export async function recordGcActivity(actor: string, report: GcRunReport): Promise<void> {
  for (const [registryId, figures] of figuresByRegistry(report, report.steps)) {
    const reg = await db().registry.findUnique({ where: { id: registryId }, select: { name: true } });
    await recordActivityAfter({
      actor,
      action: "gc.run",
      target: reg?.name ?? registryId,
      registryId: reg ? registryId : null,
      after: { ...figures, gracePeriodSeconds: Math.round(report.gracePeriodMs / 1000) },
    });
  }
}
