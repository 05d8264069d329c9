import { context, slot } from "../core/context";

/**
 * Serialises async work per key inside this process (one upload session, one
 * digest being committed or collected). Keys with nothing queued are dropped.
 * Work that must be serialised across nodes uses shared-lock.ts, which queues
 * here first so a node asks the shared store once per key at a time.
 */
export class KeyedLock {
  private tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev.catch(() => undefined);
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

const digestLocks = slot("digestLock", () => new KeyedLock());

/**
 * Commits of a digest never interleave in this process (two pushes of one layer
 * move its bytes once). Across nodes the database decides: the blob row is
 * claimed in a transaction before bytes move (blob-store.ts), so this lock is an
 * economy, not a guarantee, and stays per process.
 */
export function digestLock(): KeyedLock {
  return context().get(digestLocks);
}
