import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { formatBytes, shortDigest, timeText } from "@/components/ui/format";
import type { Page } from "@wharf/lib/services/paging";
import type { TagRow } from "@wharf/lib/services/tags";
import { TagTable, type TagTableHeader, type TagTableRow } from "./tag-table";

export type TagQuery = { sort: string; dir: string; filter: string; after: string | null };

/** The Tags view of a repository page: sortable, filterable, keyset-paged through the URL. */
export function TagsCard({ registry, repository, base, tags, image, query, canDelete, canLock }: { registry: string; repository: string; base: string; tags: Page<TagRow>; image: string; query: TagQuery; canDelete: boolean; canLock: boolean }) {
  const href = (over: Partial<TagQuery>) => {
    const q = { ...query, after: null, ...over };
    const p = new URLSearchParams();
    if (q.sort !== "updated") p.set("sort", q.sort);
    if (q.dir !== (q.sort === "name" ? "asc" : "desc")) p.set("dir", q.dir);
    if (q.filter) p.set("filter", q.filter);
    if (q.after) p.set("after", q.after);
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };
  const sortable = (key: string, label: string, className?: string): TagTableHeader => {
    const active = query.sort === key;
    const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : key === "name" ? "asc" : "desc";
    return { key, label, className, href: href({ sort: key, dir: nextDir }), sort: active ? (query.dir === "asc" ? "ascending" : "descending") : undefined, arrow: query.dir === "asc" ? "↑" : "↓" };
  };
  const headers: TagTableHeader[] = [
    sortable("name", "Tag"),
    { key: "digest", label: "Digest" },
    { key: "size", label: "Size", className: "text-right" },
    { key: "platforms", label: "Platforms", className: "hidden lg:table-cell" },
    sortable("created", "Created", "hidden md:table-cell"),
    sortable("updated", "Updated"),
    { key: "actions", label: "Actions" },
  ];
  const now = Date.now();
  const rows: TagTableRow[] = tags.items.map((t) => ({
    name: t.name,
    digest: t.digest,
    shortDigest: shortDigest(t.digest),
    size: formatBytes(t.size),
    platforms: t.platforms,
    artifactType: t.artifactType && !t.artifactType.includes("image.config") ? t.artifactType : null,
    created: timeText(t.createdTime, now),
    updated: timeText(t.lastUpdateTime, now),
    locks: t.locks,
    deleteBlocked: t.deleteBlocked,
  }));
  return (
    <Card className="overflow-hidden">
      <CardHeader
        title="Tags"
        description={query.filter ? `${tags.total.toLocaleString("en")} matching “${query.filter}”` : `${tags.total.toLocaleString("en")} in all`}
        actions={
          <form action={base} className="flex items-center gap-2">
            {query.sort !== "updated" ? <input type="hidden" name="sort" value={query.sort} /> : null}
            {query.dir !== (query.sort === "name" ? "asc" : "desc") ? <input type="hidden" name="dir" value={query.dir} /> : null}
            <label htmlFor="tag-filter" className="sr-only">Filter tags</label>
            <Input id="tag-filter" name="filter" defaultValue={query.filter} placeholder="Filter tags" className="h-9 w-56 max-w-full" />
          </form>
        }
      />
      {tags.items.length === 0 ? (
        <EmptyState title={query.filter ? "No tags match" : "No tags"}>
          <p>{query.filter ? "Try another filter." : "This repository holds no tagged manifests. Untagged ones are in the Manifests view."}</p>
        </EmptyState>
      ) : (
        <TagTable rows={rows} headers={headers} base={base} image={image} registry={registry} repository={repository} canDelete={canDelete} canLock={canLock} />
      )}
      {query.after || tags.nextCursor ? (
        <div className="flex items-center justify-between gap-3 border-t border-line px-5 py-3">
          {query.after ? <ButtonLink href={href({})} variant="secondary" size="sm">First page</ButtonLink> : <span />}
          {tags.nextCursor ? <ButtonLink href={href({ after: tags.nextCursor })} variant="secondary" size="sm">Next page →</ButtonLink> : null}
        </div>
      ) : null}
    </Card>
  );
}
