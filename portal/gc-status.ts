import type { GcStatus } from "@wharf/lib/services/gc-jobs";

/** GcStatus with numbers and ISO strings only, as the garbage-collection panel shows it (no bigint or Date crosses to the browser). */
export type GcPanelStatus = Omit<GcStatus, "bytesFreed" | "startedAt" | "finishedAt" | "lastRunAt"> & {
  bytesFreed: number;
  startedAt: string | null;
  finishedAt: string | null;
  lastRunAt: string | null;
};

export function gcPanelStatus(s: GcStatus): GcPanelStatus {
  return {
    ...s,
    bytesFreed: Number(s.bytesFreed),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
  };
}

/** A run is on: the panel polls until it is not. */
export const gcActive = (s: Pick<GcStatus, "status">) => s.status === "requested" || s.status === "running";
