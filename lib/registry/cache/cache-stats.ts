import { context, slot } from "../../core/context";
import { db } from "../../core/db";
import { logger } from "../../core/logging";

/**
 * Per-rule counters of the pull-through cache. The data plane adds to a Map (no database write on the hot path); a
 * timer adds the pending counts to the CacheRule rows every few seconds, one UPDATE per rule, and at shutdown.
 * Increments, never absolute values, so several nodes add up.
 */
export type RuleCounts = { hits: number; misses: number; upstreamErrors: number; bytesCached: number; lastRefreshAt: number | null; lastUpstreamError: string | null };

type State = { pending: Map<string, RuleCounts>; timer?: NodeJS.Timeout };

const stats = slot<State>(
  "cacheRuleStats",
  () => ({ pending: new Map() }),
  async (s) => {
    if (s.timer) clearInterval(s.timer);
    await flush(s);
  },
);

export const CACHE_STATS_FLUSH_MS = 5_000;

const empty = (): RuleCounts => ({ hits: 0, misses: 0, upstreamErrors: 0, bytesCached: 0, lastRefreshAt: null, lastUpstreamError: null });

function entry(ruleId: string): RuleCounts {
  const s = context().get(stats);
  let e = s.pending.get(ruleId);
  if (!e) s.pending.set(ruleId, (e = empty()));
  if (!s.timer) {
    s.timer = setInterval(() => void flushCacheStats().catch((err) => logger().error({ err }, "could not write cache rule counters; will retry")), CACHE_STATS_FLUSH_MS);
    s.timer.unref();
  }
  return e;
}

/** A request under the rule answered from what is stored. */
export const countHit = (ruleId: string) => void entry(ruleId).hits++;
/** A request under the rule that had to ask the upstream for content (`bytes` stored as a result). */
export function countMiss(ruleId: string, bytes = 0): void {
  const e = entry(ruleId);
  e.misses++;
  e.bytesCached += bytes;
  e.lastRefreshAt = Date.now();
}
/** Bytes stored by a fetch that was not itself a client's miss (the blobs of a manifest fetched whole). */
export const countStored = (ruleId: string, bytes: number) => void (entry(ruleId).bytesCached += bytes);
/** A tag compared with the upstream and found unchanged. */
export const countRefresh = (ruleId: string) => void (entry(ruleId).lastRefreshAt = Date.now());
export function countUpstreamError(ruleId: string, message: string): void {
  const e = entry(ruleId);
  e.upstreamErrors++;
  e.lastUpstreamError = message.slice(0, 500);
}

/** Counts not yet written, for views that add them to the stored ones. */
export function pendingCounts(ruleId: string): RuleCounts {
  return context().get(stats).pending.get(ruleId) ?? empty();
}

export function flushCacheStats(): Promise<void> {
  return flush(context().get(stats));
}

async function flush(s: State): Promise<void> {
  if (!s.pending.size) return;
  const batch = s.pending;
  s.pending = new Map();
  let failure: unknown = null;
  for (const [id, c] of batch) {
    try {
      // updateMany: a rule deleted meanwhile matches nothing and its counts go with it.
      await db().cacheRule.updateMany({
        where: { id },
        data: {
          hits: { increment: c.hits },
          misses: { increment: c.misses },
          upstreamErrors: { increment: c.upstreamErrors },
          bytesCached: { increment: c.bytesCached },
          ...(c.lastRefreshAt ? { lastRefreshAt: new Date(c.lastRefreshAt) } : {}),
          ...(c.lastUpstreamError ? { lastUpstreamError: c.lastUpstreamError } : {}),
        },
      });
    } catch (err) {
      // Kept for the next flush, added to whatever arrived meanwhile.
      const now = s.pending.get(id) ?? empty();
      s.pending.set(id, {
        hits: now.hits + c.hits,
        misses: now.misses + c.misses,
        upstreamErrors: now.upstreamErrors + c.upstreamErrors,
        bytesCached: now.bytesCached + c.bytesCached,
        lastRefreshAt: now.lastRefreshAt ?? c.lastRefreshAt,
        lastUpstreamError: now.lastUpstreamError ?? c.lastUpstreamError,
      });
      failure ??= err;
    }
  }
  if (failure) throw failure;
}
