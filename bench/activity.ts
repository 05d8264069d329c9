/**
 * Activity-log paging at scale (issue 15): seeds BENCH_ROWS activity rows (default 300,000) over 30 days in a
 * fresh database (SQLite, or PostgreSQL with WHARF_BENCH_POSTGRES=1 as the tests use it), then prints p50/p95 ms
 * of listActivity's first page and of the page 1000 pages back (its cursor found once), for the organisation,
 * one registry, and one registry filtered by principal. Run by hand:
 *   node --import tsx bench/activity.ts
 */
import { performance } from "node:perf_hooks";
import { useTempDatabase, closeTempDatabase } from "../test/helpers/test-db";
import { db } from "../lib/core/db";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { listActivity, type ActivityFilter } from "../lib/services/activity";

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const PAGE = 50;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2);
  return `p50 ${q(0.5)}  p95 ${q(0.95)}`;
}

async function time(fn: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 5; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

async function main() {
  const dataDir = await useTempDatabase();
  const regs = await Promise.all(Array.from({ length: 10 }, (_, i) => db().registry.create({ data: { name: `bench${i}` } })));
  const actions = ["manifest.push", "manifest.delete", "pull", "token", "registry.update"];
  const now = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i += 5000) {
    const n = Math.min(5000, ROWS - i);
    await db().activityLog.createMany({
      data: Array.from({ length: n }, (_, j) => {
        const k = i + j;
        return { at: new Date(now - Math.floor((k / ROWS) * 30 * 86_400_000)), actor: `user${k % 50}`, action: actions[k % 5], target: `app${k % 100}`, registryId: regs[k % 10].id, address: "10.0.0.1" };
      }),
    });
  }
  console.log(`seeded ${ROWS} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const cases: [string, ActivityFilter][] = [
    ["organisation", {}],
    ["registry", { registry: "bench3" }],
    ["registry+principal", { registry: "bench3", principal: "user13" }],
  ];
  for (const [label, f] of cases) {
    let cursor: string | undefined;
    for (let p = 0; p < 1000; p++) {
      const page = await listActivity(LOCAL_OPERATOR, { ...f, take: PAGE, cursor });
      if (!page.older) break;
      cursor = page.older;
    }
    console.log(`${label.padEnd(20)} page 1    ${await time(() => listActivity(LOCAL_OPERATOR, { ...f, take: PAGE }))}`);
    console.log(`${label.padEnd(20)} page 1000 ${await time(() => listActivity(LOCAL_OPERATOR, { ...f, take: PAGE, cursor }))}`);
  }
  await closeTempDatabase(dataDir);
}

void main();
