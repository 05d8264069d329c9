import { context, slot } from "../core/context";
import { db } from "../core/db";
import { logger } from "../core/logging";

/**
 * Push and pull counts per registry per day. The data plane calls `countPull` /
 * `countPush` on its hot path: a Map increment, no database write. A timer adds
 * the pending counts to RegistryDailyStat every few seconds, and at shutdown.
 */
type Pending = Map<string, { pushes: number; pulls: number }>;

type State = { pending: Pending; timer?: NodeJS.Timeout };

// Closing the context (shutdown) stops the timer and writes what is pending.
const usage = slot<State>(
  "usageStats",
  () => ({ pending: new Map() }),
  async (s) => {
    if (s.timer) clearInterval(s.timer);
    await flushPending(s);
  },
);

function state(): State {
  return context().get(usage);
}

export const FLUSH_INTERVAL_MS = 5_000;

export function utcDay(d = new Date()): string {
  return d.toISOString().slice(0, 10);
}

// The hot path asks for today's day once per pull: recompute it only when the UTC day changes.
let today = { day: "", until: 0 };
function currentDay(): string {
  const now = Date.now();
  if (now >= today.until) today = { day: utcDay(new Date(now)), until: (Math.floor(now / 86_400_000) + 1) * 86_400_000 };
  return today.day;
}

function bump(registryId: string, field: "pushes" | "pulls"): void {
  const s = state();
  const key = `${registryId}|${currentDay()}`;
  const entry = s.pending.get(key) ?? { pushes: 0, pulls: 0 };
  entry[field]++;
  s.pending.set(key, entry);
  if (!s.timer) {
    s.timer = setInterval(() => void flushUsageStats().catch((err) => logger().error({ err }, "could not write usage statistics; will retry")), FLUSH_INTERVAL_MS);
    s.timer.unref();
  }
}

export const countPull = (registryId: string) => bump(registryId, "pulls");
export const countPush = (registryId: string) => bump(registryId, "pushes");

/** Writes pending counts (also called at shutdown). Counts for deleted registries are dropped. */
export function flushUsageStats(): Promise<void> {
  return flushPending(state());
}

async function flushPending(s: State): Promise<void> {
  if (!s.pending.size) return;
  const batch = s.pending;
  s.pending = new Map();
  for (const [key, c] of batch) {
    const [registryId, day] = key.split("|");
    try {
      await db().registryDailyStat.upsert({
        where: { registryId_day: { registryId, day } },
        create: { registryId, day, pushes: c.pushes, pulls: c.pulls },
        update: { pushes: { increment: c.pushes }, pulls: { increment: c.pulls } },
      });
    } catch (err) {
      // A registry deleted meanwhile (foreign key): its counts go with it.
      if ((err as { code?: string }).code !== "P2003") throw err;
    }
  }
}

export type DailyUsage = { day: string; pushes: number; pulls: number };

/** The last `days` days (oldest first, zero-filled), including counts not yet written. */
export async function usageLastDays(registryId: string, days = 7): Promise<DailyUsage[]> {
  const dayList: string[] = [];
  const now = Date.now();
  for (let i = days - 1; i >= 0; i--) dayList.push(utcDay(new Date(now - i * 86_400_000)));
  const rows = await db().registryDailyStat.findMany({ where: { registryId, day: { in: dayList } } });
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return dayList.map((day) => {
    const pending = state().pending.get(`${registryId}|${day}`);
    const row = byDay.get(day);
    return { day, pushes: (row?.pushes ?? 0) + (pending?.pushes ?? 0), pulls: (row?.pulls ?? 0) + (pending?.pulls ?? 0) };
  });
}

/** Bytes of the distinct blobs the registry's repositories link (each counted once). */
export async function storageUsedBytes(registryId: string): Promise<number> {
  const rows = await db().$queryRaw<{ total: bigint | number | null }[]>`
    SELECT SUM(b."size") AS total FROM "Blob" b
    WHERE b."digest" IN (
      SELECT DISTINCT l."digest" FROM "BlobLink" l
      JOIN "Repository" r ON r."id" = l."repositoryId"
      WHERE r."registryId" = ${registryId}
    )`;
  return Number(rows[0]?.total ?? 0);
}
