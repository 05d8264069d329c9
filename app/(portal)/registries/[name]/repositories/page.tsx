import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { CommandLine } from "@/components/ui/code";
import { RegistryIcon } from "@/components/ui/icons";
import { formatBytes, timeText } from "@/components/ui/format";
import { RepositoryTable } from "./repository-table";
import { PurgeButton } from "@/components/repositories/purge-dialog";
import { ImportButton } from "@/components/import/import-dialog";
import { RecentImports } from "@/components/import/recent-imports";
import { loadOrPanel } from "@/components/error-panel";
import { listRepositoryPage } from "@wharf/lib/services/repositories";
import { importPermission, listImports } from "@wharf/lib/services/import";
import { findRegistry } from "@wharf/lib/services/load-registry";
import { requirePrincipal } from "@/portal/principal";
import { imagePrefixResolver } from "@/portal/image-ref";

export const metadata: Metadata = { title: "Repositories" };

type Search = { q?: string; after?: string };

const bytes = (n: bigint) => ({ text: formatBytes(n), exact: `${n.toLocaleString("en")} bytes` });

export default async function RepositoriesPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Search> }) {
  const { name } = await params;
  const { q = "", after } = await searchParams;
  const principal = await requirePrincipal();
  const res = await loadOrPanel(() => listRepositoryPage(principal, { registry: name, search: q, cursor: after ?? null }));
  if (res.panel) return res.panel;
  const page = res.data;
  const reg = await findRegistry(name);
  const [mayImport, imports] = await Promise.all([
    reg ? importPermission(principal, reg) : { allowed: false, reason: `Registry ${name} does not exist.` },
    // Only registry readers see the list (as wharf import list); others see just the imports they follow in the dialog.
    listImports(principal, { registry: name, take: 10 }).catch((err: { code?: string }) => {
      if (err?.code === "DENIED") return [];
      throw err;
    }),
  ]);
  const prefix = (await imagePrefixResolver())(name);
  const base = `/registries/${name}/repositories`;
  const withQuery = (extra: Record<string, string>) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), ...extra })}`;

  return (
    <div className="space-y-5">
    <Card className="overflow-hidden">
      <CardHeader
        title="Repositories"
        description={q ? `${page.total.toLocaleString("en")} matching “${q}”` : `${page.total.toLocaleString("en")} ${page.total === 1 ? "repository" : "repositories"}`}
        actions={
          <>
          <form role="search" action={base} className="flex items-center gap-2">
            <label htmlFor="repo-search" className="sr-only">Search repositories</label>
            <Input id="repo-search" name="q" defaultValue={q} placeholder="Search repositories" className="h-9 w-64 max-w-full" />
          </form>
          <ImportButton registry={name} cannotImport={mayImport.allowed ? null : mayImport.reason} />
          <PurgeButton registry={name} />
          </>
        }
      />
      {page.items.length === 0 ? (
        <EmptyState icon={<RegistryIcon className="size-6" />} title={q ? "No repositories match" : "No repositories yet"}>
          {q ? (
            <p>
              Nothing in this registry has “{q}” in its name. <Link className="font-medium text-accent hover:underline" href={base}>Clear the search</Link>.
            </p>
          ) : (
            <>
              <p>Push an image to create a repository:</p>
              <div className="mx-auto mt-4 w-full max-w-md text-left">
                <CommandLine command={`docker push ${prefix}/hello-world:v1`} />
              </div>
            </>
          )}
        </EmptyState>
      ) : (
        <>
          <RepositoryTable
            base={base}
            rows={page.items.map((r) => ({
              name: r.name,
              tags: r.tagCount.toLocaleString("en"),
              manifests: r.manifestCount.toLocaleString("en"),
              size: bytes(r.storage.bytes),
              shared: bytes(r.storage.sharedBytes),
              onlyHere: bytes(r.storage.exclusiveBytes),
              updated: timeText(r.lastUpdateTime),
              locks: r.locks,
            }))}
          />
          {after || page.nextCursor ? (
            <div className="flex items-center justify-between gap-3 border-t border-line px-5 py-3 text-sm">
              {after ? <ButtonLink href={withQuery({})} variant="secondary" size="sm">First page</ButtonLink> : <span />}
              {page.nextCursor ? (
                <ButtonLink href={withQuery({ after: page.nextCursor })} variant="secondary" size="sm">Next page →</ButtonLink>
              ) : null}
            </div>
          ) : null}
        </>
      )}
    </Card>
    <RecentImports jobs={imports} />
    </div>
  );
}
