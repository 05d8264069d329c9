/**
 * Per-request cost of the rate-limit stores (throttle.ts): memory, Redis, PostgreSQL (RateLimiterPostgres upsert).
 *
 *   BENCH_REDIS_URL=redis://127.0.0.1:6381 BENCH_POSTGRES_URL=postgres://wharf@127.0.0.1:5551/postgres \
 *     node --import tsx bench/shared-state/throttle.ts
 */
import { parseConfig } from "../../lib/core/config";
import { startContext } from "../../lib/core/context";
import { throttleRegistry } from "../../lib/auth/throttle";

const ROUNDS = 5000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length * p) / 100)];

async function measure(label: string, env: Record<string, string | undefined>) {
  const ctx = startContext(parseConfig({ WHARF_DATA_DIR: "/tmp/shared-bench", WHARF_LOG_LEVEL: "error", WHARF_SKU_LIMITS: JSON.stringify({ Basic: { readOpsPerMinute: 1e9 } }), ...env }));
  const reg = { id: `bench-${Date.now()}`, sku: "Basic" };
  for (let i = 0; i < 200; i++) await throttleRegistry(reg, "read");
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await throttleRegistry(reg, "read");
    out.push(performance.now() - t);
  }
  console.log(`${label.padEnd(12)} p50 ${pct(out, 50).toFixed(3)} ms, p95 ${pct(out, 95).toFixed(3)} ms`);
  await ctx.close();
}

async function main() {
  await measure("memory", {});
  await measure("redis", { WHARF_REDIS_URL: process.env.BENCH_REDIS_URL });
  await measure("postgresql", { WHARF_DATABASE_URL: process.env.BENCH_POSTGRES_URL });
}

void main();
