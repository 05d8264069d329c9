import type { ImportView } from "@wharf/lib/services/import";
import { Badge, type BadgeTone } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { Code } from "../ui/code";
import { formatBytes, timeText } from "../ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "../ui/table";
import { Time } from "../ui/time";

const TONE: Record<ImportView["status"], BadgeTone> = { queued: "neutral", running: "accent", succeeded: "success", failed: "danger" };

/** The registry's latest imports (what `wharf import list` shows): shown only when there are some. */
export function RecentImports({ jobs }: { jobs: ImportView[] }) {
  if (!jobs.length) return null;
  return (
    <Card className="overflow-hidden" aria-labelledby="recent-imports">
      <CardHeader title={<span id="recent-imports">Recent imports</span>} description="Imports into this registry, newest first. Follow one in the CLI with wharf import show --id ID." />
      <Table>
        <THead>
          <tr>
            <Th>Status</Th>
            <Th>Source</Th>
            <Th>Targets</Th>
            <Th className="hidden md:table-cell">By</Th>
            <Th>Requested</Th>
          </tr>
        </THead>
        <TBody>
          {jobs.map((j) => (
            <Tr key={j.id} data-testid="import-row">
              <Td>
                <Badge tone={TONE[j.status]} title={j.error ?? undefined}>
                  {j.status}
                  {j.status === "running" && j.progress.bytesTotal ? ` ${Math.floor((j.progress.bytesDone / j.progress.bytesTotal) * 100)}%` : ""}
                </Badge>
                {j.status === "failed" && j.error ? <p className="mt-1 max-w-xs truncate text-[13px] text-danger" title={j.error}>{j.error}</p> : null}
                {j.status === "succeeded" && j.result ? <p className="mt-1 text-[13px] text-muted">{formatBytes(j.result.bytesCopied + j.result.bytesLinked)}</p> : null}
              </Td>
              <Td className="max-w-xs break-all">
                <Code>{j.source}</Code>
              </Td>
              <Td className="break-all">{j.targets.join(", ") || "by digest"}</Td>
              <Td className="hidden text-muted md:table-cell">{j.requestedBy}</Td>
              <Td className="text-muted">
                <Time t={timeText(j.createdAt)} />
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
