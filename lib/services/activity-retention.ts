import { config, context, slot } from "../core/context";
import { db } from "../core/db";
import { logger } from "../core/logging";

/**
 * Deletes activity rows older than WHARF_ACTIVITY_RETENTION_DAYS in bounded batches, so no statement holds locks for
 * long. Every node may run it at once: deleting old rows twice deletes nothing more.
 */
export const RETENTION_BATCH = 1000;
const INTERVAL_MS = 10 * 60_000;

export async function pruneActivity(now = Date.now()): Promise<number> {
  const days = config().WHARF_ACTIVITY_RETENTION_DAYS;
  if (!days) return 0;
  const cutoff = new Date(now - days * 86_400_000);
  let deleted = 0;
  for (;;) {
    const old = await db().activityLog.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, orderBy: { at: "asc" }, take: RETENTION_BATCH });
    if (!old.length) return deleted;
    const r = await db().activityLog.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
    deleted += r.count;
    if (old.length < RETENTION_BATCH) return deleted;
  }
}

const retention = slot<{ timer?: NodeJS.Timeout }>(
  "activityRetention",
  () => ({}),
  async (s) => {
    if (s.timer) clearInterval(s.timer);
  },
);

/** Starts this node's periodic pruning (server.ts); the context's close stops it. */
export function startActivityRetention(): void {
  const s = context().get(retention);
  if (s.timer) return;
  const run = () => void pruneActivity().catch((err) => logger().error({ err }, "could not prune the activity log; it tries again later"));
  s.timer = setInterval(run, INTERVAL_MS);
  s.timer.unref();
  run();
}
