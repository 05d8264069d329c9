import { db } from "../core/db";
import type { Prisma } from "../generated/prisma/client";

type Tx = Prisma.TransactionClient;

export type ActivityEntry = {
  actor: string;
  action: string;
  target: string;
  registryId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Record who changed what, inside the same transaction as the change. */
export async function recordActivity(tx: Tx, e: ActivityEntry): Promise<void> {
  await tx.activityLog.create({
    data: {
      actor: e.actor,
      action: e.action,
      target: e.target,
      registryId: e.registryId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    },
  });
}

/** For a change the engine committed itself (deleting a tag or manifest): the entry follows on its own. */
export async function recordActivityAfter(e: ActivityEntry): Promise<void> {
  await db().$transaction((tx) => recordActivity(tx, e));
}

export async function listActivity(opts: { registryId?: string; take?: number } = {}) {
  return db().activityLog.findMany({
    where: opts.registryId ? { registryId: opts.registryId } : {},
    orderBy: { at: "desc" },
    take: Math.min(opts.take ?? 50, 500),
  });
}
