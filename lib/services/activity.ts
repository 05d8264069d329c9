import { db } from "../core/db";
import type { Tx } from "../core/db";
import { emitEvent, emitEventNow, type RegistryEvent } from "../registry/events";

/** A control-plane change's entry: it takes the event path, so webhooks and the activity log see the same events. */
export type ActivityEntry = RegistryEvent;

/** Record who changed what, inside the same transaction as the change. */
export const recordActivity: (tx: Tx, e: ActivityEntry) => Promise<void> = emitEvent;

/** For a change the engine committed itself (deleting a tag or manifest): the entry follows on its own. */
export const recordActivityAfter: (e: ActivityEntry) => Promise<void> = emitEventNow;

export async function listActivity(opts: { registryId?: string; take?: number } = {}) {
  return db().activityLog.findMany({
    where: opts.registryId ? { registryId: opts.registryId } : {},
    orderBy: { at: "desc" },
    take: Math.min(opts.take ?? 50, 500),
  });
}
