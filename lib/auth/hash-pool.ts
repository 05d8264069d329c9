import os from "node:os";
import { Worker } from "node:worker_threads";
import { context, slot } from "../core/context";
import { WharfError } from "../core/errors";

/**
 * A small fixed pool of worker threads that run scrypt, with a bounded queue.
 *
 * Why threads of our own: `crypto.scrypt` runs on libuv's thread pool (4 threads),
 * the same pool that serves every fs read of the data plane, so a few hundred
 * queued password checks used to hold a blob download for seconds. Here the hash
 * runs synchronously inside a worker thread and libuv's pool stays free. The pool
 * is small on purpose: more hashes at once only share the same cores and memory
 * (128 MiB each at the default cost).
 */
export type ScryptJob = { password: string; salt: Buffer; N: number; r: number; p: number; keyLength: number };

/** Refused because too many password checks are already waiting; retry after the given seconds. */
export class HashPoolBusy extends WharfError {
  constructor(readonly retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", `Too many sign-in attempts are being checked right now. Retry in ${retryAfterSeconds} s.`, {
      detail: { retryAfterSeconds },
    });
  }
}

// Plain JS evaluated in the worker: nothing to resolve on disk, so it runs the same
// from dist/, under tsx and inside the portal's process.
// On Linux the thread lowers its own scheduling priority (nice 10): when the
// cores are contended, the main thread serving the data plane runs first.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const crypto = require("node:crypto");
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, 10);
} catch {}
parentPort.on("message", (job) => {
  try {
    const maxmem = 2 * 128 * job.N * job.r + 1024 * 1024;
    const key = crypto.scryptSync(job.password, Buffer.from(job.salt), job.keyLength, { N: job.N, r: job.r, p: job.p, maxmem });
    parentPort.postMessage({ key: new Uint8Array(key) });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
});
`;

type Pending = { job: ScryptJob; resolve: (key: Buffer) => void; reject: (err: Error) => void };
type Slot = { worker: Worker; current: Pending | null; startedAt: number };

export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  /** Moving average of one hash, for Retry-After. */
  private averageMs = 250;
  /** Hashes finished since start (tests check that every check really hashes). */
  completed = 0;

  constructor(
    readonly size: number,
    readonly queueLimit: number,
  ) {}

  /**
   * Runs one scrypt. `limited` jobs (sign-in checks) are refused with HashPoolBusy
   * when queueLimit jobs already wait; hashing a new password (an authorised
   * action) always queues.
   */
  run(job: ScryptJob, opts: { limited: boolean }): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error("The password hash pool is closed."));
    const free = this.slots.find((s) => !s.current) ?? (this.slots.length < this.size ? this.spawn() : null);
    if (!free && opts.limited && this.queue.length >= this.queueLimit) return Promise.reject(new HashPoolBusy(this.retryAfterSeconds()));
    return new Promise<Buffer>((resolve, reject) => {
      const pending = { job, resolve, reject };
      if (free) this.start(free, pending);
      else this.queue.push(pending);
    });
  }

  /** Seconds until the queue has likely drained enough for a new check. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.queue.length + this.size) * this.averageMs) / this.size / 1000));
  }

  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error("The password hash pool is closed."));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, current: null, startedAt: 0 };
    worker.unref(); // an idle pool never keeps a CLI process alive
    worker.on("message", (msg: { key?: Uint8Array; error?: string }) => {
      const done = slot.current;
      slot.current = null;
      worker.unref();
      if (done) {
        this.completed++;
        this.averageMs = this.averageMs * 0.8 + (Date.now() - slot.startedAt) * 0.2;
        if (msg.key) done.resolve(Buffer.from(msg.key));
        else done.reject(new Error(`scrypt failed: ${msg.error}`));
      }
      this.next(slot);
    });
    const lost = (err: Error) => {
      // A dead worker fails its job; the slot is dropped and a new worker starts on demand.
      const i = this.slots.indexOf(slot);
      if (i < 0) return; // "error" and then "exit": handled once
      this.slots.splice(i, 1);
      slot.current?.reject(err);
      slot.current = null;
      const waiting = this.queue.shift();
      if (waiting && !this.closed) this.start(this.spawn(), waiting);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => {
      if (!this.closed) lost(new Error(`The password hash worker exited (code ${code}).`));
    });
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, pending: Pending): void {
    slot.current = pending;
    slot.startedAt = Date.now();
    slot.worker.ref();
    const { password, salt, N, r, p, keyLength } = pending.job;
    slot.worker.postMessage({ password, salt: new Uint8Array(salt), N, r, p, keyLength });
  }

  private next(slot: Slot): void {
    const waiting = this.queue.shift();
    if (waiting) this.start(slot, waiting);
  }
}

export function defaultHashWorkers(cores = os.availableParallelism()): number {
  return Math.min(4, Math.max(1, Math.floor(cores / 4)));
}

const pool = slot(
  "passwordHashPool",
  (ctx) => new HashPool(ctx.config.WHARF_PASSWORD_HASH_WORKERS ?? defaultHashWorkers(), ctx.config.WHARF_PASSWORD_HASH_QUEUE),
  (p) => p.close(),
);

/** The context's password hash pool. */
export function hashPool(): HashPool {
  return context().get(pool);
}
