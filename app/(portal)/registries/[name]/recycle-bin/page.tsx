import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TrashIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { formatBytes, formatDateTime, timeText } from "@/components/ui/format";
import { loadOrPanel } from "@/components/error-panel";
import { listDeleted, showSoftDelete } from "@wharf/lib/services/recycle-bin";
import { requirePrincipal } from "@/portal/principal";
import { RecycleBinTable, type BinRow } from "./recycle-bin-table";

export const metadata: Metadata = { title: "Recycle bin" };

type Search = { repository?: string; after?: string };

/** "in 6 d", "in 3 h": how long an entry has left (the exact moment is the cell's title). */
function expiresIn(at: Date, now: number): string {
  const min = Math.max(0, Math.round((at.getTime() - now) / 60_000));
  if (min < 60) return min <= 1 ? "in a minute" : `in ${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `in ${h} h` : `in ${Math.round(h / 24)} d`;
}

export default async function RecycleBinPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Search> }) {
  const { name } = await params;
  const { repository = "", after } = await searchParams;
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => listDeleted(principal, { registry: name, repository: repository || undefined, cursor: after ?? null }));
  if (res.panel) return res.panel;
  const page = res.data;
  // Someone who sees only some repositories may not read the registry's policy: the page works without it.
  const policy = await showSoftDelete(principal, { registry: name }).catch(() => null);
  const base = `/registries/${name}/recycle-bin`;
  const settings = `/registries/${name}/settings#soft-delete`;
  const withQuery = (extra: Record<string, string>) => `${base}?${new URLSearchParams({ ...(repository ? { repository } : {}), ...extra })}`;
  const now = Date.now();
  const rows: BinRow[] = page.items.map((m) => ({
    id: m.id,
    repository: m.repository,
    digest: m.digest,
    tags: m.tags,
    size: formatBytes(m.bytes),
    deleted: timeText(m.deletedTime, now),
    deletedBy: m.deletedBy,
    expires: { text: expiresIn(m.expiresTime, now), title: formatDateTime(m.expiresTime) },
    partOf: m.partOf,
  }));
  const policyText = policy
    ? policy.status === "enabled"
      ? `Soft delete is on: deleted manifests stay here ${policy.days} ${policy.days === 1 ? "day" : "days"}, then garbage collection frees their space.`
      : "Soft delete is off: manifests deleted now are removed at once. What is here stays until it expires."
    : null;

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title="Recycle bin"
        description={
          <>
            {page.total.toLocaleString("en")} deleted {page.total === 1 ? "manifest" : "manifests"}
            {repository ? ` in ${repository}` : ""}. {policyText} {policy ? <Link className="font-medium text-accent hover:underline" href={settings}>Soft delete settings</Link> : null}
          </>
        }
        actions={
          <form role="search" action={base} className="flex items-center gap-2">
            <label htmlFor="bin-repository" className="sr-only">Filter by repository</label>
            <Input id="bin-repository" name="repository" defaultValue={repository} placeholder="Filter by repository" className="h-9 w-56 max-w-full" />
          </form>
        }
      />
      {rows.length === 0 ? (
        <EmptyState icon={<TrashIcon className="size-6" />} title={repository ? `Nothing deleted from ${repository}` : policy?.status === "disabled" ? "Soft delete is off" : "The recycle bin is empty"}>
          {repository ? (
            <p>
              No deleted manifest of this repository is waiting here. <Link className="font-medium text-accent hover:underline" href={base}>Show every repository</Link>.
            </p>
          ) : policy?.status === "disabled" ? (
            <p>
              Deleted manifests are removed at once and cannot be restored. Turn on soft delete in{" "}
              <Link className="font-medium text-accent hover:underline" href={settings}>Settings → Soft delete</Link> (or run{" "}
              <code className="font-mono text-[13px]">wharf config soft-delete update -r {name} --status enabled --days 7</code>) to keep them here for 1 to 90 days.
            </p>
          ) : (
            <p>Manifests deleted from this registry stay here{policy ? ` for ${policy.days} ${policy.days === 1 ? "day" : "days"}` : ""}, with the tags they had, until you restore them or delete them for good.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <RecycleBinTable registry={name} rows={rows} />
          {after || page.nextCursor ? (
            <div className="flex items-center justify-between gap-3 border-t border-line px-5 py-3 text-sm">
              {after ? <ButtonLink href={withQuery({})} variant="secondary" size="sm">First page</ButtonLink> : <span />}
              {page.nextCursor ? <ButtonLink href={withQuery({ after: page.nextCursor })} variant="secondary" size="sm">Next page →</ButtonLink> : null}
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
