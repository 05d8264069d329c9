import { context, slot } from "../core/context";
import { db, retryOnUniqueViolation } from "../core/db";
import { Prisma } from "../generated/prisma/client";
import { logger } from "../core/logging";

/**
 * Push and pull counts per registry per day, and the last pull of each manifest. The
 * data plane calls `countPull` / `countPush` on its hot path: a Map operation, no
 * database write. A timer adds the pending counts to RegistryDailyStat and writes
 * Manifest.lastPulledAt every few seconds (one statement per repository), and at shutdown.
 */
type Pending = Map<string, { pushes: number; pulls: number }>;
/** "repositoryId digest" → time of the latest pull (ms) since the last flush. */
type Pulled = Map<string, number>;

/** groupKey → an aggregated activity row (pulls, token grants) waiting to be added to ActivityLog. */
type Grouped = Map<string, GroupedActivity>;
export type GroupedActivity = {
  action: string;
  actor: string;
  target: string;
  registryId: string | null;
  repository?: string;
  address?: string;
  /** First occurrence in this batch: the row's `at` when it is created (never moved after, so paging stays stable). */
  at: number;
  count: number;
};

type State = { pending: Pending; pulled: Pulled; grouped: Grouped; timer?: NodeJS.Timeout };

// Closing the context (shutdown) stops the timer and writes what is pending.
const usage = slot<State>(
  "usageStats",
  () => ({ pending: new Map(), pulled: new Map(), grouped: new Map() }),
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

// Likewise the UTC hour that names an aggregated activity row.
let thisHour = { hour: "", until: 0 };
function currentHour(now: number): string {
  if (now >= thisHour.until) thisHour = { hour: new Date(now).toISOString().slice(0, 13), until: (Math.floor(now / 3_600_000) + 1) * 3_600_000 };
  return thisHour.hour;
}

function bump(registryId: string, field: "pushes" | "pulls", s = state()): void {
  const key = `${registryId}|${currentDay()}`;
  const entry = s.pending.get(key) ?? { pushes: 0, pulls: 0 };
  entry[field]++;
  s.pending.set(key, entry);
  startTimer(s);
}

function startTimer(s: State): void {
  if (!s.timer) {
    s.timer = setInterval(() => void flushUsageStats().catch((err) => logger().error({ err }, "could not write usage statistics; will retry")), FLUSH_INTERVAL_MS);
    s.timer.unref();
  }
}

/**
 * A pull: a manifest GET (not HEAD). Given the manifest, its lastPulledAt is written at the next flush. Given who
 * pulled which repository, it also counts towards that hour's "pull" activity row for the repository and principal.
 */
export function countPull(registryId: string, repositoryId?: string, digest?: string, who?: { repository: string; principal: string; address?: string }): void {
  const s = state();
  bump(registryId, "pulls", s);
  if (repositoryId && digest) s.pulled.set(`${repositoryId} ${digest}`, Date.now());
  if (who) countGrouped({ action: "pull", actor: who.principal, target: who.repository, registryId, repository: who.repository, address: who.address }, s);
}

/**
 * One occurrence of an event too frequent for a row each (a pull, a token grant): counted in memory and added at the
 * next flush to the one ActivityLog row of its (action, registry, repository, principal, UTC hour), `count` growing.
 */
export function countGrouped(e: Omit<GroupedActivity, "at" | "count">, s = state()): void {
  const now = Date.now();
  const key = `${e.action}|${e.registryId ?? "-"}|${e.repository ?? ""}|${e.actor}|${currentHour(now)}`;
  const entry = s.grouped.get(key);
  if (entry) entry.count++;
  else s.grouped.set(key, { ...e, at: now, count: 1 });
  startTimer(s);
}
export const countPush = (registryId: string) => bump(registryId, "pushes");

/** Writes pending counts (also called at shutdown). Counts for deleted registries are dropped. */
export function flushUsageStats(): Promise<void> {
  return flushPending(state());
}

async function flushPending(s: State): Promise<void> {
  await flushCounts(s);
  await flushPulled(s);
  await flushGrouped(s);
}

/**
 * Upserts on the unique groupKey: the first writer creates the hour's row, every later flush (from any node) adds
 * its count in one atomic increment. A lost race on create is retried as the update.
 */
async function flushGrouped(s: State): Promise<void> {
  if (!s.grouped.size) return;
  const batch = s.grouped;
  s.grouped = new Map();
  const done = new Set<string>();
  try {
    for (const [groupKey, g] of batch) {
      try {
        await retryOnUniqueViolation(() =>
          db().activityLog.upsert({
            where: { groupKey },
            create: {
              groupKey,
              at: new Date(g.at),
              action: g.action,
              actor: g.actor,
              target: g.target,
              registryId: g.registryId,
              repository: g.repository ?? null,
              address: g.address ?? null,
              count: g.count,
            },
            update: { count: { increment: g.count } },
          }),
        );
      } catch (err) {
        // A registry deleted meanwhile (foreign key): its counts go with it.
        if ((err as { code?: string }).code !== "P2003") throw err;
      }
      done.add(groupKey);
    }
  } catch (err) {
    // What was not written goes back for the next flush, merged with what arrived meanwhile.
    for (const [key, g] of batch) {
      if (done.has(key)) continue;
      const now = s.grouped.get(key);
      if (now) now.count += g.count;
      else s.grouped.set(key, g);
    }
    throw err;
  }
}

async function flushCounts(s: State): Promise<void> {
  if (!s.pending.size) return;
  const batch = s.pending;
  s.pending = new Map();
  for (const [key, c] of batch) {
    const [registryId, day] = key.split("|");
    try {
      await retryOnUniqueViolation(() =>
        db().registryDailyStat.upsert({
          where: { registryId_day: { registryId, day } },
          create: { registryId, day, pushes: c.pushes, pulls: c.pulls },
          update: { pushes: { increment: c.pushes }, pulls: { increment: c.pulls } },
        }),
      );
    } catch (err) {
      // A registry deleted meanwhile (foreign key): its counts go with it.
      if ((err as { code?: string }).code !== "P2003") throw err;
    }
  }
}

/** Longest digest list in one statement: far below SQLite's and PostgreSQL's bound-parameter limits. */
const DIGESTS_PER_STATEMENT = 500;

/**
 * Manifest.lastPulledAt for what was pulled since the last flush: one UPDATE per repository
 * (per 500 digests), stamped with the repository's latest pull in the batch, so a time may be
 * up to one flush interval late for some of its manifests. Raw SQL, not updateMany: Prisma's
 * @updatedAt would move the manifest's lastUpdateTime on every pull. Never moves a time backwards
 * (another node may have written a later pull); a manifest deleted meanwhile simply matches no row.
 */
async function flushPulled(s: State): Promise<void> {
  if (!s.pulled.size) return;
  const batch = s.pulled;
  s.pulled = new Map();
  const byRepository = new Map<string, { at: number; digests: string[] }>();
  for (const [key, at] of batch) {
    const space = key.indexOf(" ");
    const repositoryId = key.slice(0, space);
    const entry = byRepository.get(repositoryId) ?? { at: 0, digests: [] };
    entry.at = Math.max(entry.at, at);
    entry.digests.push(key.slice(space + 1));
    byRepository.set(repositoryId, entry);
  }
  const written = new Set<string>();
  try {
    for (const [repositoryId, { at, digests }] of byRepository) {
      const when = new Date(at);
      for (let i = 0; i < digests.length; i += DIGESTS_PER_STATEMENT) {
        await db().$executeRaw`
          UPDATE "Manifest" SET "lastPulledAt" = ${when}
           WHERE "repositoryId" = ${repositoryId} AND "digest" IN (${Prisma.join(digests.slice(i, i + DIGESTS_PER_STATEMENT))})
             AND ("lastPulledAt" IS NULL OR "lastPulledAt" < ${when})`;
      }
      written.add(repositoryId);
    }
  } catch (err) {
    // Kept for the next flush (unless a newer pull of the same manifest is pending already).
    for (const [key, at] of batch) if (!written.has(key.slice(0, key.indexOf(" "))) && !s.pulled.has(key)) s.pulled.set(key, at);
    throw err;
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

/**
 * Names of token subjects ("user:<id>") for the pull rows, so a pull does not read the principal from the database
 * each time: a rename shows in new rows within a minute.
 */
const NAME_TTL_MS = 60_000;
const actorNames = slot("activityActorNames", () => new Map<string, { name: string; until: number }>());

export async function actorNameOf(subject: string, load: () => Promise<string>): Promise<string> {
  const names = context().get(actorNames);
  const hit = names.get(subject);
  if (hit && hit.until > Date.now()) return hit.name;
  const name = await load();
  if (names.size > 10_000) names.clear();
  names.set(subject, { name, until: Date.now() + NAME_TTL_MS });
  return name;
}
