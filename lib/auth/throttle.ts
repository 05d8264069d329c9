import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { config, context, slot } from "../core/context";
import { pgPool, SHARED_SCHEMA, sharedTable } from "../core/pg-pool";
import { redis, redisKey, redisStarted } from "../core/redis";
import { skuLimits } from "../core/skus";

/**
 * Per-registry read/write operations per minute by SKU, and a per-address limit for anonymous calls. One budget
 * across nodes: in Redis when WHARF_REDIS_URL is set, else in a PostgreSQL table when the database is PostgreSQL,
 * else (SQLite: one node) in memory.
 *
 * Measured per request (bench/shared-state/throttle.ts, loopback, 2 shared cores): memory 0.005 ms p50; Redis
 * 0.05-0.07 ms p50, 0.37 ms p95; PostgreSQL (one upsert into an UNLOGGED table) 0.15 ms p50, 1.1-1.7 ms p95 (5.3 ms
 * p95 with a logged table). RateLimiterPostgres over RateLimiterPrisma: the latter needs a model in the Prisma schema
 * (migrated and drift-checked with the rest) and costs Prisma's ~0.3 ms per query on top.
 *
 * A store that fails (Redis down, a command timing out) never fails the request: the limiter answers from this
 * node's memory instead (rate-limiter-flexible's insurance limiter), so during an outage each node enforces the
 * budget alone — at most N times the limit over N nodes, never a 500 on every call. redis.ts logs the outage.
 */
export type ThrottleResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
};

type Limiters = { byId: Map<string, { limiter: RateLimiterAbstract; ready: Promise<void> }> };
const limiters = slot<Limiters>("throttle", () => ({ byId: new Map() }));

function createLimiter(id: string, points: number): { limiter: RateLimiterAbstract; ready: Promise<void> } {
  const insuranceLimiter = new RateLimiterMemory({ keyPrefix: id, points, duration: 60 });
  const r = redis();
  if (r) {
    return {
      limiter: new RateLimiterRedis({ storeClient: r, keyPrefix: redisKey("rl", id), points, duration: 60, insuranceLimiter, rejectIfRedisNotReady: true }),
      ready: redisStarted(),
    };
  }
  const pool = pgPool();
  if (pool) {
    // UNLOGGED: a count is not worth a WAL flush per request (see above); a crash
    // or a failover only resets the current minute's budgets. Same columns as the limiter's own CREATE TABLE, which
    // is skipped (tableCreated): sharedTable makes it without racing other nodes.
    const tableName = "rate_limits";
    const table = sharedTable(pool, tableName, "key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint", { unlogged: true });
    let limiter!: RateLimiterPostgres;
    const ready = table.then(
      () =>
        new Promise<void>((resolve, reject) => {
          limiter = new RateLimiterPostgres(
            { storeClient: pool, schemaName: SHARED_SCHEMA, tableName, keyPrefix: id, points, duration: 60, insuranceLimiter, clearExpiredByTimeout: true, tableCreated: true },
            (err?: Error) => (err ? reject(err) : resolve()),
          );
        }),
    );
    const lazy = { consume: async (key: string, n: number) => (await ready, limiter.consume(key, n)) } as unknown as RateLimiterAbstract;
    return { limiter: lazy, ready };
  }
  return { limiter: new RateLimiterMemory({ keyPrefix: id, points, duration: 60 }), ready: Promise.resolve() };
}

function limiter(kind: string, points: number): { limiter: RateLimiterAbstract; ready: Promise<void> } {
  const map = context().get(limiters).byId;
  const id = `${kind}:${points}`;
  let l = map.get(id);
  if (!l) {
    l = createLimiter(id, points);
    const made = l;
    made.ready.catch(() => map.get(id) === made && map.delete(id)); // the table could not be made: try again next time
    map.set(id, l);
  }
  return l;
}

async function consume({ limiter: l, ready }: { limiter: RateLimiterAbstract; ready: Promise<void> }, key: string, limit: number): Promise<ThrottleResult> {
  try {
    await ready;
    const r = await l.consume(key, 1);
    return { allowed: true, limit, remaining: r.remainingPoints, resetSeconds: Math.ceil(r.msBeforeNext / 1000) };
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      return { allowed: false, limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
    throw err;
  }
}

export function throttleRegistry(reg: { id: string; sku: string }, kind: "read" | "write"): Promise<ThrottleResult> {
  const limits = skuLimits(reg.sku);
  const points = kind === "read" ? limits.readOpsPerMinute : limits.writeOpsPerMinute;
  return consume(limiter(`registry-${kind}`, points), reg.id, points);
}

export function throttleAnonymous(clientIp: string): Promise<ThrottleResult> {
  const points = config().WHARF_ANONYMOUS_RATE_PER_MINUTE;
  return consume(limiter("anonymous", points), clientIp, points);
}

/** Headers for a throttled (or metered) answer: RateLimit-* always, Retry-After when refused. */
export function throttleHeaders(r: ThrottleResult): Record<string, string> {
  const h: Record<string, string> = {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.resetSeconds),
  };
  if (!r.allowed) h["Retry-After"] = String(r.resetSeconds);
  return h;
}
