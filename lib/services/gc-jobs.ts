import { randomUUID } from "node:crypto";
import os from "node:os";
import { config } from "../core/context";
import { context, slot } from "../core/context";
import { db, retryOnUniqueViolation } from "../core/db";
import { logger } from "../core/logging";
import { recordGcRun } from "../core/metrics";
import { requireActor, type Actor } from "../auth/actor";
import { pendingCollection } from "../registry/gc";
import { runLifecycle, recordGcActivity, touchLastRun } from "./gc";
import { loadRegistry, registryScope } from "./load-registry";

/**
 * Garbage collection in the background (DESIGN 5b): a Job row per scope ("gc" for every registry, "gc:<id>" for
 * one), claimed with a lease so any node may run it and only one does at a time; a dead node's lease runs out and
 * another node takes the job. "Run now" in the portal only sets requestedAt: whichever node's worker looks next
 * runs it and writes its progress to the row, which every node's portal reads.
 */

const LEASE_MS = 60_000;
const POLL_MS = 2_000;

type Worker = { nodeId: string; timer?: NodeJS.Timeout; current: Promise<void> | null; stop: AbortController };
// Shutdown stops a run between two items and waits for it: no blob is left marked half-deleted.
const workerSlot = slot<Worker>(
  "gcWorker",
  () => ({ nodeId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, current: null, stop: new AbortController() }),
  (w) => stopWorker(w),
);

async function stopWorker(w: Worker): Promise<void> {
  if (w.timer) clearInterval(w.timer);
  w.stop.abort();
  await w.current?.catch(() => undefined);
}

/** Stops this node's collection between two items and waits for it (shutdown, before anything it uses closes). */
export async function stopGcWorker(): Promise<void> {
  await stopWorker(context().get(workerSlot));
}

const jobName = (registryId?: string) => (registryId ? `gc:${registryId}` : "gc");

/** Takes the job's lease when it is free (or its holder's lease ran out). */
async function claim(name: string, nodeId: string, onlyWhenRequested: boolean): Promise<boolean> {
  const now = new Date();
  await retryOnUniqueViolation(() => db().job.upsert({ where: { name }, create: { name }, update: {} }));
  const { count } = await db().job.updateMany({
    where: { name, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }], ...(onlyWhenRequested ? { requestedAt: { not: null } } : {}) },
    data: { leaseOwner: nodeId, leaseUntil: new Date(now.getTime() + LEASE_MS), status: "running", startedAt: now, requestedAt: null, progress: "{}", lastError: null },
  });
  return count > 0;
}

async function runJob(name: string, nodeId: string, signal: AbortSignal): Promise<void> {
  const registryId = name.startsWith("gc:") ? name.slice(3) : undefined;
  let lastWrite = 0;
  try {
    const report = await runLifecycle({
      registryId,
      actor: "wharf (garbage collection)",
      signal,
      onProgress: (p) => {
        // Progress and the lease's renewal, at most once a second.
        if (Date.now() - lastWrite < 1_000 && p.phase !== "done") return;
        lastWrite = Date.now();
        void db()
          .job.updateMany({ where: { name, leaseOwner: nodeId }, data: { progress: JSON.stringify(p), leaseUntil: new Date(Date.now() + LEASE_MS) } })
          .catch(() => undefined);
      },
    });
    await touchLastRun(registryId);
    await recordGcActivity("wharf (garbage collection)", report);
    const result = { ...report, items: undefined, itemCount: report.items.length, steps: Object.fromEntries(Object.entries(report.steps).map(([k, v]) => [k, v.length])) };
    await db().job.updateMany({
      where: { name, leaseOwner: nodeId },
      data: { status: "idle", finishedAt: new Date(), leaseOwner: null, leaseUntil: null, lastResult: JSON.stringify(result), progress: "{}" },
    });
    // Counted once the run is recorded as done, so a failure after this point is never counted twice.
    recordGcRun(report);
  } catch (err) {
    logger().error({ err, job: name }, "garbage collection failed; it runs again at its next turn");
    recordGcRun(null);
    await db()
      .job.updateMany({ where: { name, leaseOwner: nodeId }, data: { status: "failed", finishedAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: (err as Error).message } })
      .catch(() => undefined);
  }
}

/** One look: requested jobs first, then the periodic run of every registry when it is due. */
export async function workerTick(): Promise<void> {
  const w = context().get(workerSlot);
  if (w.current || w.stop.signal.aborted) return;
  w.current = (async () => {
    const requested = await db().job.findMany({ where: { requestedAt: { not: null } }, select: { name: true } });
    for (const { name } of requested) if (!w.stop.signal.aborted && (await claim(name, w.nodeId, true))) await runJob(name, w.nodeId, w.stop.signal);
    const interval = config().WHARF_GC_INTERVAL_SECONDS * 1000;
    if (!interval || w.stop.signal.aborted) return;
    const last = await db().job.findUnique({ where: { name: "gc" }, select: { finishedAt: true } });
    if (last?.finishedAt && Date.now() - last.finishedAt.getTime() < interval) return;
    if (await claim("gc", w.nodeId, false)) await runJob("gc", w.nodeId, w.stop.signal);
  })();
  try {
    await w.current;
  } finally {
    w.current = null;
  }
}

/** Starts this node's worker (server.ts); the context's close stops it. */
export function startGcWorker(): void {
  const w = context().get(workerSlot);
  if (w.timer) return;
  w.timer = setInterval(() => void workerTick().catch((err) => logger().error({ err }, "garbage-collection worker could not look for work")), POLL_MS);
  w.timer.unref();
}

export type GcStatus = {
  registry: string;
  status: "idle" | "requested" | "running" | "failed";
  progress: { phase?: string; reviewed?: number; blobsDeleted?: number; bytesFreed?: number };
  startedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
  lastRunAt: Date | null;
  bytesFreed: bigint;
  blobsDeleted: number;
  manifestsDeleted: number;
  uploadsDeleted: number;
  waiting: { links: number; blobs: number; bytes: number };
};

/** Per registry: what is waiting, what was freed, the last run, and a run in progress. */
export async function gcStatus(actor: Actor, registry: string): Promise<GcStatus> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "read", registryScope(reg));
  const [job, stat, waiting] = await Promise.all([
    db().job.findUnique({ where: { name: jobName(reg.id) } }),
    db().gcStat.findUnique({ where: { registryId: reg.id } }),
    pendingCollection(reg.id),
  ]);
  const status = job?.requestedAt ? "requested" : ((job?.status ?? "idle") as GcStatus["status"]);
  return {
    registry: reg.name,
    status: status === "running" && job?.leaseUntil && job.leaseUntil < new Date() ? "failed" : status,
    progress: JSON.parse(job?.progress ?? "{}"),
    startedAt: job?.startedAt ?? null,
    finishedAt: job?.finishedAt ?? null,
    lastError: job?.lastError ?? null,
    lastRunAt: stat?.lastRunAt ?? null,
    bytesFreed: stat?.bytesFreed ?? BigInt(0),
    blobsDeleted: stat?.blobsDeleted ?? 0,
    manifestsDeleted: stat?.manifestsDeleted ?? 0,
    uploadsDeleted: stat?.uploadsDeleted ?? 0,
    waiting,
  };
}

/** "Run now": asks whichever node looks next to run the registry's collection. */
export async function requestGc(actor: Actor, registry: string): Promise<GcStatus> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const name = jobName(reg.id);
  await retryOnUniqueViolation(() => db().job.upsert({ where: { name }, create: { name, requestedAt: new Date() }, update: { requestedAt: new Date() } }));
  return gcStatus(actor, registry);
}
