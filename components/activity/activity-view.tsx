import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { timeText } from "@/components/ui/format";
import type { ActivityPage, ActivityRow } from "@wharf/lib/services/activity";

/** The filters a page was asked for: GET query parameters, so a filtered view is a link. */
export type ActivityQuery = { principal?: string; action?: string; since?: string; result?: string; cursor?: string; before?: string };

export function activityQuery(sp: Record<string, string | string[] | undefined>): ActivityQuery {
  const one = (k: string) => {
    const v = sp[k];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s ? s : undefined;
  };
  return { principal: one("principal"), action: one("action"), since: one("since"), result: one("result"), cursor: one("cursor"), before: one("before") };
}

const ACTIONS = ["", "push", "delete", "pull", "token", "signin", "update", "create"];
const SINCE = [
  ["", "Any time"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
];
const RESULT_TONE: Record<string, BadgeTone> = { ok: "success", denied: "warning", failed: "danger" };

function href(base: string, q: ActivityQuery, page: { cursor?: string; before?: string }): string {
  const p = new URLSearchParams();
  for (const k of ["principal", "action", "since", "result"] as const) if (q[k]) p.set(k, q[k]!);
  if (page.cursor) p.set("cursor", page.cursor);
  if (page.before) p.set("before", page.before);
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}

function what(r: ActivityRow): string {
  if (r.action === "pull") return `${r.count} ${r.count === 1 ? "pull" : "pulls"} in the hour`;
  if (r.count > 1) return `${r.count} times in the hour`;
  return "";
}

/** The log's filters, table and Older/Newer paging; `base` is the page's own path. */
export function ActivityView({ base, query, page, showRegistry }: { base: string; query: ActivityQuery; page: ActivityPage; showRegistry: boolean }) {
  const now = Date.now();
  const filtered = !!(query.principal || query.action || query.since || query.result);
  return (
    <>
      <form method="get" action={base} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the activity log">
        <label className="text-sm">
          <span className="mb-1 block font-medium">Principal</span>
          <Input name="principal" defaultValue={query.principal ?? ""} placeholder="Any" className="w-44" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium">Action</span>
          <Select name="action" defaultValue={query.action ?? ""} className="w-40">
            {ACTIONS.map((a) => (
              <option key={a} value={a}>{a || "Any"}</option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium">Time</span>
          <Select name="since" defaultValue={query.since ?? ""} className="w-40">
            {SINCE.map(([v, l]) => (
              <option key={v} value={v}>{l}</option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium">Result</span>
          <Select name="result" defaultValue={query.result ?? ""} className="w-32">
            {["", "ok", "denied", "failed"].map((r) => (
              <option key={r} value={r}>{r || "Any"}</option>
            ))}
          </Select>
        </label>
        <button type="submit" className={buttonClasses("secondary")}>Filter</button>
        {filtered && <Link href={base} className="text-sm text-muted hover:text-fg">Clear</Link>}
      </form>
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "Nothing matches these filters" : "No activity yet"}>
          {filtered ? "Widen the time or clear a filter." : "Changes, pushes, deletes, pulls, sign-ins and token requests appear here."}
        </EmptyState>
      ) : (
        <Card className="relative overflow-x-auto">
          <Table aria-label="Activity">
            <THead>
              <Tr>
                <Th>Time</Th>
                <Th>Principal</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                {showRegistry && <Th>Registry</Th>}
                <Th>Address</Th>
                <Th>Result</Th>
              </Tr>
            </THead>
            <TBody>
              {page.items.map((r) => (
                <Tr key={r.id}>
                  <Td className="whitespace-nowrap"><Time t={timeText(new Date(r.at), now)} /></Td>
                  <Td>
                    {r.actorName ?? r.actor}
                    {r.actorName && <span className="block text-xs text-muted" title="The service principal's client id">{r.actor}</span>}
                  </Td>
                  <Td><code className="text-xs">{r.action}</code></Td>
                  <Td className="max-w-sm break-all">
                    {r.target}
                    {what(r) && <span className="block text-xs text-muted">{what(r)}</span>}
                  </Td>
                  {showRegistry && <Td>{r.registry ?? "—"}</Td>}
                  <Td className="whitespace-nowrap">{r.address ?? "—"}</Td>
                  <Td><Badge tone={RESULT_TONE[r.result] ?? "neutral"}>{r.result}</Badge></Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      <nav aria-label="Pages" className="mt-4 flex gap-2">
        {page.newer && <Link className={buttonClasses("secondary", "sm")} href={href(base, query, { before: page.newer })}>Newer</Link>}
        {page.older && <Link className={buttonClasses("secondary", "sm")} href={href(base, query, { cursor: page.older })}>Older</Link>}
      </nav>
    </>
  );
}

/** The table's shape while a page loads. */
export function ActivitySkeleton() {
  return (
    <Card className="p-5" role="status" aria-live="polite">
      <span className="sr-only">Loading the activity log…</span>
      <div className="space-y-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-4 w-full animate-pulse rounded bg-sunken" />
        ))}
      </div>
    </Card>
  );
}
