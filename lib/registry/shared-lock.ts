import crypto from "node:crypto";
import type pg from "pg";
import type { Redis } from "ioredis";
import { context, slot, type Context } from "../core/context";
import { logger } from "../core/logging";
import { pgPool, unrefConnection } from "../core/pg-pool";
import { KeyedLock } from "./keyed-lock";

/**
 * A lock that holds across nodes: work under one key (an upload session) runs on one node at a time. Waiters on the
 * same node queue in memory (KeyedLock) first, so a node asks the shared store once per key at a time.
 *
 * Measured here (bench/shared-state/locks.ts, 2 shared cores, Redis 7 and PostgreSQL 15 on loopback, two runs):
 *   acquire+release, free key:  Redis SET NX PX + Lua release   p50 0.06-0.11 ms, p95 0.15-0.28 ms
 *                               pg_try_advisory_lock + unlock   p50 0.09-0.15 ms, p95 0.16-0.25 ms
 *                               pg_advisory_lock (blocking)     p50 0.15-0.17 ms, p95 0.37-0.46 ms
 *   handover (node A releases, node B waiting on the key gets it):
 *                               Redis (polling)                 p50 1.6-2.5 ms, p95 10.5 ms
 *                               pg try-lock (polling)           p50 1.8-2.7 ms, p95 10-11 ms
 *                               pg blocking                     p50 0.41-0.47 ms, p95 2.2-2.5 ms
 * Blocking hands over fastest but holds a pool connection per held lock for as long as it is held (an upload chunk
 * streams for minutes), so a busy node would run out of connections; contention on one key is rare (a client sends
 * one session's chunks in turn), so the polling try-lock on one connection per node is the PostgreSQL lock.
 * Redis and that try-lock cost the same, so the choice is by failure behaviour: a PostgreSQL session lock lives exactly as long as its
 * connection (a node that dies releases at once; a node that stalls keeps it, as it should), while a Redis lock
 * lives for its expiry (a stalled event loop can lose it to another node, a dead node holds it up to 30 s) and needs
 * renewing. The database is already required for several nodes, so PostgreSQL advisory locks are the lock, with or
 * without Redis; SQLite means one node, so memory. RedisLock stays for the measurement (and its test).
 */
export interface SharedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `tryTake` until it succeeds: 2 ms, doubling, at most 50 ms apart, with jitter so nodes do not march in step. */
async function takeWhenFree(tryTake: () => Promise<boolean>): Promise<void> {
  for (let wait = 2; !(await tryTake()); wait = Math.min(50, wait * 2)) await sleep(wait * (0.5 + Math.random()));
}

/** 64-bit advisory lock id of a key (the lock space is per database). */
export function advisoryId(name: string, key: string): string {
  return crypto.createHash("sha256").update(`wharf\0${name}\0${key}`).digest().readBigInt64BE(0).toString();
}

/**
 * Session-level advisory locks on one dedicated connection per node: held as long as the work takes (an upload
 * chunk can stream for minutes) without tying up a pool connection per holder. Same-key holders on this node are
 * serialised by the KeyedLock, so the session never takes a key twice.
 */
export class PgAdvisoryLock implements SharedLock {
  private local = new KeyedLock();
  private conn: Promise<pg.PoolClient> | null = null;
  /** Locks held or being taken: while there are any, the connection keeps the process alive; idle, it does not. */
  private active = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
  ) {}

  private connection(): Promise<pg.PoolClient> {
    if (!this.conn) {
      const conn = this.pool.connect();
      this.conn = conn;
      conn.then(
        (c) =>
          c.on("error", (err) => {
            // Every lock this connection held is gone; holders finish unprotected, so say so.
            logger().error({ err: err.message, lock: this.name }, "advisory lock connection lost: locks it held are released");
            if (this.conn === conn) this.conn = null;
            c.release(err);
          }),
        () => {
          if (this.conn === conn) this.conn = null;
        },
      );
    }
    return this.conn;
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const id = advisoryId(this.name, key);
      const c = await this.connection();
      if (this.active++ === 0) unrefConnection(c, false);
      try {
        return await this.holding(c, id, fn);
      } finally {
        if (--this.active === 0) unrefConnection(c);
      }
    });
  }

  private async holding<T>(c: pg.PoolClient, id: string, fn: () => Promise<T>): Promise<T> {
    await takeWhenFree(async () => (await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [id])).rows[0].ok);
    try {
      return await fn();
    } finally {
      await c.query("SELECT pg_advisory_unlock($1::bigint)", [id]).catch(() => undefined); // lost connection: already released
    }
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    // Destroyed, not returned to the pool: the session may still hold locks, which must end with it.
    if (conn) (await conn.catch(() => null))?.release(true);
  }
}

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** SET NX PX with a random token, renewed while held, released only by its holder. */
export class RedisLock implements SharedLock {
  private local = new KeyedLock();

  constructor(
    private readonly client: Redis,
    private readonly keyOf: (key: string) => string,
    private readonly ttlMs = 30_000,
  ) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const k = this.keyOf(key);
      const token = crypto.randomBytes(12).toString("base64url");
      await takeWhenFree(async () => (await this.client.set(k, token, "PX", this.ttlMs, "NX")) === "OK");
      const renew = setInterval(() => {
        this.client.eval(RENEW, 1, k, token, String(this.ttlMs)).then(
          (kept) => kept === 0 && logger().error({ key: k }, "redis lock expired while held: another node may have taken it"),
          () => undefined,
        );
      }, this.ttlMs / 3);
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        await this.client.eval(RELEASE, 1, k, token).catch(() => undefined); // unreachable: it expires by itself
      }
    });
  }
}

const locks = slot(
  "sharedLocks",
  () => new Map<string, SharedLock>(),
  async (m) => {
    for (const l of m.values()) if (l instanceof PgAdvisoryLock) await l.close();
  },
);

/** The cross-node lock named `name`: PostgreSQL advisory locks on PostgreSQL, this process's memory on SQLite. */
export function sharedLock(name: string, ctx: Context = context()): SharedLock {
  const pool = pgPool(ctx); // first, so the context closes the locks' connections before it ends the pool
  const m = ctx.get(locks);
  let l = m.get(name);
  if (!l) {
    l = pool ? new PgAdvisoryLock(pool, name) : new KeyedLock();
    m.set(name, l);
  }
  return l;
}
