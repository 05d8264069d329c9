import { randomUUID } from "node:crypto";
import os from "node:os";
import { context, slot } from "../core/context";
import { db } from "../core/db";
import { logger } from "../core/logging";
import { recordActivityAfter } from "./activity";
import { runImport, type Progress } from "./import-run";

/**
 * Imports in the background (DESIGN 5b): an ImportJob row is claimed with a lease, so any node (or the CLI that
 * asked and waits) runs it and only one does at a time. Progress and the lease are written together; a node
 * that stops hands its import back at once, a node that dies lets its lease run out, and whoever claims the
 * row next runs the import again, skipping every blob already stored.
 */

const LEASE_MS = 30_000;
const POLL_MS = 1_000;
const WRITE_EVERY_MS = 500;

type Worker = { nodeId: string; timer?: NodeJS.Timeout; running: Map<string, Promise<void>>; stop: AbortController };
const workerSlot = slot<Worker>(
  "importWorker",
  () => ({ nodeId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, running: new Map(), stop: new AbortController() }),
  (w) => stopWorker(w),
);

async function stopWorker(w: Worker): Promise<void> {
  if (w.timer) clearInterval(w.timer);
  w.stop.abort();
  await Promise.all([...w.running.values()].map((p) => p.catch(() => undefined)));
}

/** Stops this node's imports and hands them back (shutdown, before anything they use closes). */
export async function stopImportWorker(): Promise<void> {
  await stopWorker(context().get(workerSlot));
}

const claimable = () => ({ status: { in: ["queued", "running"] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] });

/** Takes the import's lease when no one holds it; true when this node now runs it. */
async function claim(id: string, nodeId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db().importJob.updateMany({
    where: { id, ...claimable() },
    data: { leaseOwner: nodeId, leaseUntil: new Date(now.getTime() + LEASE_MS), status: "running", attempts: { increment: 1 } },
  });
  if (count) await db().importJob.updateMany({ where: { id, startedAt: null }, data: { startedAt: now } });
  return count > 0;
}

async function run(id: string, w: Worker, onProgress?: (p: Progress) => void): Promise<void> {
  const job = await db().importJob.findUnique({ where: { id } });
  if (!job) return;
  const owned = { id, leaseOwner: w.nodeId };
  // An ended import (succeeded or failed) keeps no source password, even sealed: nothing will use it again.
  let lastWrite = 0;
  let latest: Progress | null = null;
  const write = (p: Progress) =>
    db()
      .importJob.updateMany({
        where: owned,
        data: { layersTotal: p.layersTotal, layersDone: p.layersDone, bytesTotal: BigInt(p.bytesTotal), bytesDone: BigInt(p.bytesDone), leaseUntil: new Date(Date.now() + LEASE_MS) },
      })
      .catch(() => undefined);
  // The lease is renewed even while one large blob downloads with no progress to report.
  const renew = setInterval(() => void (latest ? write(latest) : undefined), LEASE_MS / 3);
  try {
    const result = await runImport(job, w.stop.signal, (p) => {
      latest = p;
      onProgress?.(p);
      if (Date.now() - lastWrite < WRITE_EVERY_MS) return;
      lastWrite = Date.now();
      void write(p);
    });
    clearInterval(renew);
    if (latest) await write(latest);
    await db().importJob.updateMany({ where: owned, data: { status: "succeeded", result: JSON.stringify(result), error: null, finishedAt: new Date(), leaseOwner: null, leaseUntil: null, passwordSealed: null } });
    await recordActivityAfter({ actor: job.requestedBy, action: "import", target: `${job.source} → ${result.tags.join(", ") || result.digest}`, registryId: job.registryId, after: result });
  } catch (err) {
    clearInterval(renew);
    if (w.stop.signal.aborted) {
      // Shutting down: hand the import back now, so the next node (or this one restarted) resumes it at once.
      await db().importJob.updateMany({ where: owned, data: { status: "queued", leaseOwner: null, leaseUntil: null } }).catch(() => undefined);
      return;
    }
    const message = (err as Error).message;
    logger().warn({ err, importId: id }, "import failed");
    await db().importJob.updateMany({ where: owned, data: { status: "failed", error: message, finishedAt: new Date(), leaseOwner: null, leaseUntil: null, passwordSealed: null } }).catch(() => undefined);
    await recordActivityAfter({ actor: job.requestedBy, action: "import.failed", target: job.source, registryId: job.registryId, after: { id, error: message } }).catch(() => undefined);
  }
}

function track(w: Worker, id: string, p: Promise<void>): Promise<void> {
  w.running.set(id, p);
  return p.finally(() => w.running.delete(id));
}

/** One look for imports no one runs; each claimed one runs alongside the others. */
export async function importWorkerTick(): Promise<void> {
  const w = context().get(workerSlot);
  if (w.stop.signal.aborted) return;
  const waiting = await db().importJob.findMany({ where: claimable(), orderBy: { createdAt: "asc" }, select: { id: true }, take: 4 });
  for (const { id } of waiting) {
    if (w.running.has(id) || w.running.size >= 2) continue;
    if (await claim(id, w.nodeId)) void track(w, id, run(id, w));
  }
}

/**
 * Runs one import in this process if no one else holds it (the CLI waiting on its own import); resolves once it
 * ended here or elsewhere. `onProgress` sees progress of the run here; the caller polls the row otherwise.
 */
export async function runImportHere(id: string, onProgress?: (p: Progress) => void): Promise<boolean> {
  const w = context().get(workerSlot);
  if (w.running.has(id)) return false;
  if (!(await claim(id, w.nodeId))) return false;
  await track(w, id, run(id, w, onProgress));
  return true;
}

/** Starts this node's import worker (server.ts); the context's close stops it and hands running imports back. */
export function startImportWorker(): void {
  const w = context().get(workerSlot);
  if (w.timer) return;
  w.timer = setInterval(() => void importWorkerTick().catch((err) => logger().error({ err }, "import worker could not look for work")), POLL_MS);
  w.timer.unref();
}
