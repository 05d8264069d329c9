import fs from "node:fs";
import { parseConfig, type Config } from "./config";

/**
 * What one process holds while it runs: its configuration and the state of each
 * module that needs some (database client, storage driver, caches, limiters,
 * keys). The entry point (server.ts, the CLI, a test) starts one Context; every
 * module reaches its own part through a Slot, created on first use and dropped
 * with the context. Nothing lives in module globals, so starting a new context
 * (a test with another data dir) starts from a clean slate.
 *
 * lib/ is loaded once per process: the portal imports the compiled lib/ as an
 * external package (@wharf/lib), so the data plane, server actions and the CLI
 * share this one module instance and its one context.
 */
export type Slot<T> = {
  readonly name: string;
  readonly create: (ctx: Context) => T;
  readonly close?: (value: T) => Promise<void> | void;
};

export function slot<T>(name: string, create: (ctx: Context) => T, close?: (value: T) => Promise<void> | void): Slot<T> {
  return { name, create, close };
}

export class Context {
  private readonly states = new Map<Slot<unknown>, unknown>();

  constructor(readonly config: Config) {
    fs.mkdirSync(config.dataDir, { recursive: true });
  }

  /** The slot's state in this context, created on first use. */
  get<T>(s: Slot<T>): T {
    if (this.states.has(s as Slot<unknown>)) return this.states.get(s as Slot<unknown>) as T;
    const value = s.create(this);
    this.states.set(s as Slot<unknown>, value);
    return value;
  }

  /** Replaces a slot's state (tests put in a storage driver of their own). */
  set<T>(s: Slot<T>, value: T): void {
    this.states.set(s as Slot<unknown>, value);
  }

  /** Closes what the slots opened (flushes counters, disconnects the database), newest first. */
  close(): Promise<void> {
    // Once: a second caller waits for the first close instead of closing what it is still using.
    return (this.closing ??= this.closeSlots());
  }

  private closing: Promise<void> | undefined;

  private async closeSlots(): Promise<void> {
    // Newest first, each still able to use the older ones while it closes (a worker finishing with the database).
    const entries = [...this.states.entries()].reverse();
    for (const [s, value] of entries) {
      await s.close?.(value);
      this.states.delete(s);
    }
  }
}

let current: Context | undefined;

/** Starts the process's context (the entry point calls this once; tests call it per data dir). */
export function startContext(config: Config = parseConfig()): Context {
  current = new Context(config);
  return current;
}

/**
 * The running context. A process whose entry point started none (a build step
 * collecting page data, a one-off script) gets one from the environment.
 */
export function context(): Context {
  return (current ??= new Context(parseConfig()));
}

/** The process's configuration. */
export function config(): Config {
  return context().config;
}
