import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatBytes, formatDateTime, relativeTime, shortDigest } from "@/components/ui/format";
import { LockIndicator } from "@/components/lock-indicator";
import { DeleteButton } from "@/components/repositories/delete-button";
import { LocksButton } from "@/components/repositories/locks-button";
import type { Page, RepositoryInfo, TagRow } from "@/lib/repository-browser";

type Query = { sort: string; dir: string; filter: string; after: string | null };

export function RepositoryView({ repo, tags, image, query, canDelete, canLock }: { repo: RepositoryInfo; tags: Page<TagRow>; image: string; query: Query; canDelete: boolean; canLock: boolean }) {
  const base = `/registries/${repo.registry}/repositories/${repo.name}`;
  const href = (over: Partial<Query>) => {
    const q = { ...query, after: null, ...over };
    const p = new URLSearchParams();
    if (q.sort !== "updated") p.set("sort", q.sort);
    if (q.dir !== (q.sort === "name" ? "asc" : "desc")) p.set("dir", q.dir);
    if (q.filter) p.set("filter", q.filter);
    if (q.after) p.set("after", q.after);
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };
  const sortHeader = (key: string, label: string, className?: string) => {
    const active = query.sort === key;
    const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : key === "name" ? "asc" : "desc";
    return (
      <Th className={className} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link href={href({ sort: key, dir: nextDir })} className={`inline-flex items-center gap-1 hover:text-fg ${active ? "text-fg" : ""}`}>
          {label}
          <span aria-hidden="true" className={active ? "" : "opacity-0"}>{query.dir === "asc" ? "↑" : "↓"}</span>
        </Link>
      </Th>
    );
  };
  const latest = tags.items[0]?.name ?? "latest";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[13px] text-muted">
            <Link href={`/registries/${repo.registry}/repositories`} className="hover:text-fg">Repositories</Link> /
          </p>
          <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-fg">
            {repo.name}
            <LockIndicator locks={repo.locks} />
          </h2>
          <p className="mt-1 text-sm text-muted">
            {repo.tagCount.toLocaleString("en")} {repo.tagCount === 1 ? "tag" : "tags"} · {repo.manifestCount.toLocaleString("en")} {repo.manifestCount === 1 ? "manifest" : "manifests"} · created {relativeTime(repo.createdTime)}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <ButtonLink href={`/registries/${repo.registry}/access?repository=${encodeURIComponent(repo.name)}`} variant="secondary" size="sm">
            Access control
          </ButtonLink>
          {canLock ? <LocksButton registry={repo.registry} repository={repo.name} locks={repo.locks} /> : null}
        </div>
      </div>

      <Card>
        <CardBody className="grid gap-3 md:grid-cols-2">
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Pull</p>
            <CommandLine command={`docker pull ${image}:${latest}`} label="Copy pull command" />
          </div>
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Push</p>
            <CommandLine command={`docker push ${image}:<tag>`} label="Copy push command" />
          </div>
        </CardBody>
      </Card>

      <Card className="overflow-hidden">
        <CardHeader
          title="Tags"
          description={query.filter ? `${tags.total.toLocaleString("en")} matching “${query.filter}”` : `${tags.total.toLocaleString("en")} in all`}
          actions={
            <form action={base} className="flex items-center gap-2">
              {query.sort !== "updated" ? <input type="hidden" name="sort" value={query.sort} /> : null}
              <label htmlFor="tag-filter" className="sr-only">Filter tags</label>
              <Input id="tag-filter" name="filter" defaultValue={query.filter} placeholder="Filter tags" className="h-9 w-56 max-w-full" />
            </form>
          }
        />
        {tags.items.length === 0 ? (
          <EmptyState title={query.filter ? "No tags match" : "No tags"}>
            <p>{query.filter ? "Try another filter." : "This repository holds no tagged manifests."}</p>
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                {sortHeader("name", "Tag")}
                <Th>Digest</Th>
                <Th className="text-right">Size</Th>
                <Th className="hidden lg:table-cell">Platforms</Th>
                {sortHeader("created", "Created", "hidden md:table-cell")}
                {sortHeader("updated", "Updated")}
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </THead>
            <TBody>
              {tags.items.map((t) => (
                <Tr key={t.name} data-tag={t.name}>
                  <Td>
                    <div className="flex items-center gap-2">
                      <Link href={`${base}/-/manifests/${encodeURIComponent(t.name)}`} className="font-medium text-fg hover:text-accent hover:underline">
                        {t.name}
                      </Link>
                      <LockIndicator locks={t.locks} />
                    </div>
                  </Td>
                  <Td>
                    <div className="flex items-center gap-0.5">
                      <Link href={`${base}/-/manifests/${t.digest}`} className="font-mono text-[13px] text-muted hover:text-accent" title={t.digest}>
                        {shortDigest(t.digest)}
                      </Link>
                      <CopyButton text={t.digest} label={`Copy digest of ${t.name}`} className="size-6" />
                    </div>
                  </Td>
                  <Td className="text-right whitespace-nowrap text-muted tabular-nums">{formatBytes(t.size)}</Td>
                  <Td className="hidden lg:table-cell">
                    {t.platforms.length ? (
                      <div className="flex flex-wrap gap-1">
                        {t.platforms.map((p) => <Badge key={p}>{p}</Badge>)}
                      </div>
                    ) : (
                      <span className="text-subtle">{t.artifactType && !t.artifactType.includes("image.config") ? <Badge tone="accent">{t.artifactType}</Badge> : "—"}</span>
                    )}
                  </Td>
                  <Td className="hidden text-muted md:table-cell">
                    <time dateTime={t.createdTime.toISOString()} title={formatDateTime(t.createdTime)}>{relativeTime(t.createdTime)}</time>
                  </Td>
                  <Td className="text-muted">
                    <time dateTime={t.lastUpdateTime.toISOString()} title={formatDateTime(t.lastUpdateTime)}>{relativeTime(t.lastUpdateTime)}</time>
                  </Td>
                  <Td className="text-right whitespace-nowrap">
                    <div className="flex items-center justify-end gap-1">
                      <CopyButton text={`docker pull ${image}:${t.name}`} label={`Copy pull command for ${t.name}`} className="size-7" />
                      {canLock ? <LocksButton registry={repo.registry} repository={repo.name} tag={t.name} locks={t.locks} compact /> : null}
                      {canDelete ? <DeleteButton kind="tag" registry={repo.registry} repository={repo.name} tag={t.name} compact /> : null}
                    </div>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
        {query.after || tags.nextCursor ? (
          <div className="flex items-center justify-between gap-3 border-t border-line px-5 py-3">
            {query.after ? <ButtonLink href={href({})} variant="secondary" size="sm">First page</ButtonLink> : <span />}
            {tags.nextCursor ? <ButtonLink href={href({ after: tags.nextCursor })} variant="secondary" size="sm">Next page →</ButtonLink> : null}
          </div>
        ) : null}
      </Card>
    </div>
  );
}
