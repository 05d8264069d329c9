import { context, slot } from "../core/context";

/**
 * Serialises async work per key inside this process (one upload session, one
 * digest being committed or collected). Keys with nothing queued are dropped.
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
 * Commits of a digest and garbage collection of that digest never interleave in
 * this process (the portal's GC waits for the data plane's commits).
 */
export function digestLock(): KeyedLock {
  return context().get(digestLocks);
}
