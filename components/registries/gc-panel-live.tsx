"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { gcStatusAction, requestGcAction } from "@/portal/actions/gc-actions";
import { gcActive, type GcPanelStatus } from "@/portal/gc-status";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { formatBytes, formatDateTime, relativeTime } from "../ui/format";
import { DisabledReason } from "../ui/tooltip";
import { useAction } from "../use-action";

const PHASES: Record<string, string> = {
  links: "Reviewing links no manifest names any more",
  blobs: "Deleting blobs no repository holds",
  uploads: "Removing abandoned uploads",
  done: "Finishing",
};

function When({ iso }: { iso: string | null }) {
  if (!iso) return <>never</>;
  // Relative to the browser's clock, which may differ from the server's by a second: not worth a hydration warning.
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {relativeTime(iso)}
    </time>
  );
}

/** The panel's figures, polled every second while a run is requested or running. */
export function GcPanelLive({ registry, initial, cannotRun }: { registry: string; initial: GcPanelStatus; cannotRun: string | null }) {
  const router = useRouter();
  const queries = useQueryClient();
  const queryKey = ["gc", registry];
  const status = useQuery({
    queryKey,
    initialData: initial,
    queryFn: async () => {
      const r = await gcStatusAction({ registry });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    refetchInterval: (q) => (q.state.data && gcActive(q.state.data) ? 1000 : false),
  });
  const run = useAction(requestGcAction, { refresh: false, onSuccess: (s) => queries.setQueryData(queryKey, s) });
  const s = status.data;
  const active = gcActive(s);

  // When a run this page watched ends, the storage figures beside the panel are stale: reload them once.
  const wasActive = useRef(active);
  const [finished, setFinished] = useState(false);
  useEffect(() => {
    if (wasActive.current && !active) {
      setFinished(s.status !== "failed");
      router.refresh();
    }
    wasActive.current = active;
  }, [active, s.status, router]);

  const figures: [string, React.ReactNode, string][] = [
    ["Waiting", formatBytes(s.waiting.bytes), `${s.waiting.blobs} blobs and ${s.waiting.links} repository links no manifest needs; freed by the next run once their grace period has passed.`],
    ["Freed in total", formatBytes(s.bytesFreed), "Bytes garbage collection has deleted for this registry so far."],
    ["Last run", <When key="l" iso={s.lastRunAt} />, "When garbage collection last looked at this registry (in the background or on request)."],
    ["Removed", `${s.blobsDeleted} blobs · ${s.manifestsDeleted} manifests · ${s.uploadsDeleted} uploads`, "Totals: unreferenced blobs, manifests removed by policy, abandoned upload sessions."],
  ];

  return (
    <Card data-testid="gc-panel">
      <CardHeader
        title="Garbage collection"
        description="Deleting tags, manifests or repositories frees storage once garbage collection runs."
        actions={
          <DisabledReason reason={cannotRun}>
            <Button
              variant="secondary"
              size="sm"
              disabled={!!cannotRun}
              pending={run.pending || active}
              onClick={() => {
                setFinished(false);
                run.run({ registry });
              }}
            >
              {active ? "Running…" : "Run now"}
            </Button>
          </DisabledReason>
        }
      />
      <CardBody className="space-y-3">
        <dl className="space-y-1.5 text-sm" data-testid="gc-figures">
          {figures.map(([k, v, hint]) => (
            <div key={k} className="flex justify-between gap-3" title={hint}>
              <dt className="text-muted">{k}</dt>
              <dd className="text-right text-fg tabular-nums" data-testid={`gc-${k.toLowerCase().replace(/ /g, "-")}`}>{v}</dd>
            </div>
          ))}
        </dl>
        <div aria-live="polite" data-testid="gc-state">
          {s.status === "requested" ? (
            <p className="text-[13px] text-muted">Requested: a worker starts it within a few seconds.</p>
          ) : s.status === "running" ? (
            <div className="text-[13px] text-muted">
              <p className="font-medium text-fg">{PHASES[s.progress.phase ?? ""] ?? "Starting"}…</p>
              <p className="tabular-nums">
                {s.progress.reviewed ?? 0} reviewed · {s.progress.blobsDeleted ?? 0} blobs deleted · {formatBytes(s.progress.bytesFreed ?? 0)} freed so far
              </p>
            </div>
          ) : s.status === "failed" ? (
            <Alert tone="danger" title="The last run did not finish">
              {s.lastError ?? "The node running it stopped."} Nothing was lost: what it had not freed waits for the next run. Run it again, or see the server log.
            </Alert>
          ) : finished ? (
            <p className="text-[13px] text-success-soft-fg">Finished <When iso={s.finishedAt} />.</p>
          ) : null}
          {status.isError ? <p className="text-[13px] text-danger">Could not read the progress ({status.error.message}); it is retried every second.</p> : null}
        </div>
      </CardBody>
    </Card>
  );
}
