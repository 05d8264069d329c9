"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { ImportView } from "@wharf/lib/services/import";
import { getImportAction } from "@/portal/actions/import-actions";
import { Alert } from "../ui/alert";
import { Code } from "../ui/code";
import { formatBytes } from "../ui/format";

export const importEnded = (j: ImportView) => j.status === "succeeded" || j.status === "failed";

const STATUS_TEXT: Record<ImportView["status"], string> = {
  queued: "Waiting for a worker to start the import…",
  running: "Importing…",
  succeeded: "Import finished",
  failed: "Import failed",
};

/** Where an imported tag is shown: its repository's tag list. */
const tagHref = (registry: string, target: string) => `/registries/${registry}/repositories/${target.replace(/:[^:/]*$/, "")}`;

/**
 * One import job followed live: its row is read every second (from whichever node runs it) until it ends, then
 * `onEnd` runs once. Progress is layers and bytes done of the total the source announced.
 */
export function ImportProgress({ job: initial, onEnd }: { job: ImportView; onEnd: (job: ImportView) => void }) {
  const q = useQuery({
    queryKey: ["import", initial.id],
    initialData: initial,
    queryFn: async () => {
      const r = await getImportAction({ registry: initial.registry, id: initial.id });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    refetchInterval: (query) => (query.state.data && !importEnded(query.state.data) ? 1000 : false),
  });
  const job = q.data;
  const ended = importEnded(job);
  const reported = useRef(false);
  useEffect(() => {
    if (ended && !reported.current) {
      reported.current = true;
      onEnd(job);
    }
  }, [ended, job, onEnd]);

  const p = job.progress;
  const percent = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : job.status === "succeeded" ? 100 : 0;
  const known = p.layersTotal > 0 || job.status === "succeeded";
  return (
    <div className="space-y-4" data-testid="import-progress" data-status={job.status}>
      <div className="space-y-2">
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span className="font-medium text-fg" aria-live="polite">{STATUS_TEXT[job.status]}</span>
          <span className="text-muted tabular-nums" data-testid="import-figures">
            {known ? `${p.layersDone} of ${p.layersTotal} layers · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : "Reading the source…"}
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={known ? percent : undefined}
          aria-valuetext={known ? `${percent}%: ${p.layersDone} of ${p.layersTotal} layers` : "Reading the source"}
          className="h-2 w-full overflow-hidden rounded-full bg-sunken"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-500 ${job.status === "failed" ? "bg-danger" : job.status === "succeeded" ? "bg-success-soft-fg" : "bg-accent"} ${known ? "" : "animate-pulse"}`}
            style={{ width: `${known ? percent : 100}%` }}
          />
        </div>
        <p className="text-[13px] text-muted">
          From <Code>{job.source}</Code>
        </p>
      </div>
      {q.isError && !ended ? <Alert tone="danger">Could not read the import's progress: {q.error.message} Retrying every second.</Alert> : null}
      {job.status === "succeeded" && job.result ? (
        <div role="status" className="rounded-md border border-success-soft-fg/30 bg-success-soft px-3.5 py-3 text-sm text-success-soft-fg">
          <p className="font-medium">Imported</p>
          <p>
            {job.result.manifests} {job.result.manifests === 1 ? "manifest" : "manifests"} and {job.result.blobs} {job.result.blobs === 1 ? "blob" : "blobs"} ({formatBytes(job.result.bytesCopied)} copied
            {job.result.bytesLinked ? `, ${formatBytes(job.result.bytesLinked)} linked` : ""}), digest <Code>{job.result.digest}</Code>.
          </p>
          {job.result.tags.length ? (
            <ul className="mt-1.5 list-inside list-disc" aria-label="Imported tags">
              {job.result.tags.map((t) => (
                <li key={t}>
                  <Link href={tagHref(job.registry, t)} className="font-medium underline">
                    {t}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1">No tag was given: pull it by digest.</p>
          )}
        </div>
      ) : null}
      {job.status === "failed" ? (
        <Alert tone="danger" title="The import did not finish">
          {job.error ?? "The import failed; the Wharf server log has the details."} Nothing it had not finished is tagged.
        </Alert>
      ) : null}
    </div>
  );
}
