import type { Metadata } from "next";
import Link from "next/link";
import { AccessControl } from "@/components/access/access-control";
import { loadOrPanel } from "@/components/error-panel";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { requirePrincipal } from "@/portal/principal";
import { roleGrid } from "@wharf/lib/services/role-grid";
import { ROLE_DESCRIPTIONS } from "@wharf/lib/auth/roles";

export const metadata: Metadata = { title: "Access control" };

export default async function RegistryAccessPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ repository?: string }> }) {
  const { name } = await params;
  const repository = (await searchParams).repository?.trim() || null;
  const principal = await requirePrincipal();
  const scope = repository ? `/registries/${name}/repositories/${repository}` : `/registries/${name}`;
  const res = await loadOrPanel(() => roleGrid(principal, scope));
  const base = `/registries/${name}/access`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-1 rounded-md border border-line bg-surface p-1 text-sm shadow-card" role="group" aria-label="Scope">
          <Link href={base} aria-current={!repository ? "page" : undefined} className={`rounded px-3 py-1 font-medium ${!repository ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:text-fg"}`}>Whole registry</Link>
          <span className={`rounded px-3 py-1 font-medium ${repository ? "bg-accent-soft text-accent-soft-fg" : "text-muted"}`}>{repository ? `Repository ${repository}` : "One repository"}</span>
        </div>
        <form action={base} className="flex items-center gap-2">
          <label htmlFor="scope-repo" className="sr-only">Repository</label>
          <Input id="scope-repo" name="repository" defaultValue={repository ?? ""} placeholder="Repository, e.g. team/app" className="h-9 w-64" />
          <Button type="submit" variant="secondary" size="sm">Show</Button>
        </form>
      </div>
      {res.panel ?? (
        <AccessControl scope={res.data.scope} scopeLabel={repository ? `repository ${repository}` : `registry ${name}`} rows={res.data.rows} canEdit={res.data.canEdit} descriptions={ROLE_DESCRIPTIONS} />
      )}
    </div>
  );
}
