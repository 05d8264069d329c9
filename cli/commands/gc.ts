import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { formatDuration } from "../../lib/core/duration";
import { runGarbageCollection } from "../../lib/services/gc";
import { text } from "../args";
import type { CommandSpec, GroupSpec } from "../command";
import { formatBytes } from "../views";

/** `wharf gc run`: garbage collection now, in this process, alongside the server's own (both are safe at once). */
const run: CommandSpec = {
  summary: "Collect garbage now: apply retention and recycle-bin expiry, then delete blobs and upload sessions no one holds.",
  options: [
    { flags: "-r, --registry <registry>", help: "Only this registry's repositories, uploads and released blobs (default: every registry)." },
    { flags: "--dry-run", help: "List what a run would delete; delete nothing." },
    {
      flags: "--grace-period <duration>",
      help: "How long a blob must have gone unnamed by any manifest before it is collected (default WHARF_GC_GRACE_SECONDS). `0s` frees space at once: use it only when no push is in flight.",
    },
  ],
  examples: [
    { title: "See what would be freed.", command: "wharf gc run --registry myregistry --dry-run" },
    { title: "Free space now, knowing no push is running.", command: "wharf gc run --registry myregistry --grace-period 0s" },
  ],
  run: async (args, { note }) => {
    const report = await runGarbageCollection(me, {
      registry: args.registry === undefined ? undefined : text(args.registry),
      dryRun: args.dryRun === true,
      gracePeriod: args.gracePeriod === undefined ? undefined : text(args.gracePeriod),
    });
    const manifests = Object.values(report.steps).reduce((n, l) => n + l.length, 0);
    const verb = report.dryRun ? "Would free" : "Freed";
    note(
      `${verb} ${formatBytes(report.bytesFreed + report.uploadBytesFreed)}: ${report.blobsDeleted} blob(s), ${report.uploadsDeleted} upload session(s), ` +
        `${manifests} manifest(s) by policy; ${report.linksRemoved} unused link(s) removed (grace period ${formatDuration(report.gracePeriodMs)}).`,
    );
    return {
      dryRun: report.dryRun,
      bytesFreed: report.bytesFreed + report.uploadBytesFreed,
      blobsDeleted: report.blobsDeleted,
      uploadsDeleted: report.uploadsDeleted,
      linksRemoved: report.linksRemoved,
      manifestsDeleted: report.steps,
      items: report.items.map((i) => ({ kind: i.kind, digest: i.digest ?? null, upload: i.uploadId ?? null, size: i.size })),
    };
  },
};

export const gc: GroupSpec = { summary: "Garbage collection: free the space deleted content held.", children: { run } };
