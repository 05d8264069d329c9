/**
 * Cross-node lock cost: Redis (SET NX PX, Lua release) against PostgreSQL advisory locks (try-lock on a dedicated
 * session; and the blocking pg_advisory_lock for reference), free key and two "nodes" contending for one key.
 *
 *   BENCH_REDIS_URL=redis://127.0.0.1:6381 BENCH_POSTGRES_URL=postgres://wharf@127.0.0.1:5551/postgres \
 *     node --import tsx bench/shared-state/locks.ts
 */
import { Redis } from "ioredis";
import pg from "pg";
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { advisoryId, PgAdvisoryLock, RedisLock, type SharedLock } from "../../lib/registry/shared-lock";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms`;

async function free(lock: SharedLock): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await lock.run(`free-${i % 50}`, async () => undefined);
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Handover: node A holds the key, node B asks for it and waits, A lets go after 5 ms; from A's release to B holding
 * it. What a second chunk of one upload session on another node waits beyond the first chunk's own time.
 */
async function handover(a: SharedLock, b: SharedLock): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS / 10; i++) {
    let released = 0;
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const first = a.run("hot", async () => {
      holding();
      await new Promise((r) => setTimeout(r, 5));
      released = performance.now();
    });
    await held;
    await b.run("hot", async () => {
      out.push(performance.now() - released);
    });
    await first;
  }
  return out;
}

async function main() {
  startContext(parseConfig({ WHARF_DATA_DIR: "/tmp/shared-bench", WHARF_LOG_LEVEL: "error" }));
  const r1 = new Redis(process.env.BENCH_REDIS_URL!);
  const r2 = new Redis(process.env.BENCH_REDIS_URL!);
  const key = (k: string) => `bench-lock:${k}`;
  const p1 = new pg.Pool({ connectionString: process.env.BENCH_POSTGRES_URL, max: 4 });
  const p2 = new pg.Pool({ connectionString: process.env.BENCH_POSTGRES_URL, max: 4 });
  const redisA = new RedisLock(r1, key);
  const redisB = new RedisLock(r2, key);
  const pgA = new PgAdvisoryLock(p1, "bench");
  const pgB = new PgAdvisoryLock(p2, "bench");
  // Reference: blocking pg_advisory_lock on a pool connection per holder (no polling, one connection per held lock).
  const blocking = (pool: pg.Pool): SharedLock => ({
    async run(k, fn) {
      const c = await pool.connect();
      const id = advisoryId("bench", k);
      try {
        await c.query("SELECT pg_advisory_lock($1::bigint)", [id]);
        try {
          return await fn();
        } finally {
          await c.query("SELECT pg_advisory_unlock($1::bigint)", [id]);
        }
      } finally {
        c.release();
      }
    },
  });
  await free(redisA);
  await free(pgA); // warm-up
  console.log(`free key      redis        ${fmt(await free(redisA))}`);
  console.log(`free key      pg try-lock  ${fmt(await free(pgA))}`);
  console.log(`free key      pg blocking  ${fmt(await free(blocking(p1)))}`);
  console.log(`handover      redis        ${fmt(await handover(redisA, redisB))}`);
  console.log(`handover      pg try-lock  ${fmt(await handover(pgA, pgB))}`);
  console.log(`handover      pg blocking  ${fmt(await handover(blocking(p1), blocking(p2)))}`);
  await pgA.close();
  await pgB.close();
  await Promise.all([p1.end(), p2.end()]);
  r1.disconnect();
  r2.disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
