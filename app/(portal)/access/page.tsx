import type { Metadata } from "next";
import Link from "next/link";
import { AccessControl } from "@/components/access/access-control";
import { loadOrPanel } from "@/components/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { ButtonLink } from "@/components/ui/button";
import { requirePrincipal } from "@/portal/principal";
import { roleGrid } from "@wharf/lib/services/role-grid";
import { ROLE_DESCRIPTIONS } from "@wharf/lib/auth/roles";
import { db } from "@wharf/lib/core/db";

export const metadata: Metadata = { title: "Access control" };

export default async function OrgAccessPage({ searchParams }: { searchParams: Promise<{ group?: string }> }) {
  const group = (await searchParams).group?.trim() || null;
  const principal = await requirePrincipal();
  const scope = group ? `/resourceGroups/${group}` : "/";
  const [res, groups] = await Promise.all([loadOrPanel(() => roleGrid(principal, scope)), db().resourceGroup.findMany({ orderBy: { name: "asc" }, select: { name: true } })]);
  const label = group ? `resource group ${group}` : "the organisation";
  return (
    <>
      <PageHeader
        title="Access control"
        description="Roles assigned here apply to every registry below. Assign narrower roles on a registry's or a repository's Access control tab."
        actions={<ButtonLink href="/access/review" variant="secondary">Access review</ButtonLink>}
      />
      <nav aria-label="Scope" className="mb-4 flex flex-wrap items-center gap-1 text-sm">
        <Link href="/access" aria-current={!group ? "page" : undefined} className={`rounded-md px-3 py-1.5 font-medium ${!group ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:bg-hover hover:text-fg"}`}>Organisation</Link>
        {groups.map((g) => (
          <Link key={g.name} href={`/access?group=${encodeURIComponent(g.name)}`} aria-current={group === g.name ? "page" : undefined} className={`rounded-md px-3 py-1.5 font-medium ${group === g.name ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:bg-hover hover:text-fg"}`}>
            Resource group {g.name}
          </Link>
        ))}
      </nav>
      {res.panel ?? <AccessControl scope={res.data.scope} scopeLabel={label} rows={res.data.rows} canEdit={res.data.canEdit} descriptions={ROLE_DESCRIPTIONS} />}
    </>
  );
}
