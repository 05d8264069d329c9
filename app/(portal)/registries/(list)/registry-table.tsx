"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { RegistryIcon, SearchIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { SkuBadge } from "@/components/sku-badge";

export type RegistryRow = { id: string; name: string; loginServer: string; sku: string; location: string; resourceGroup: string | null; created: string; createdLabel: string };

/** The registries list with a search box (filters on every column the user sees, as they type). */
export function RegistryTable({ rows }: { rows: RegistryRow[] }) {
  const [q, setQ] = useState("");
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return rows;
    return rows.filter((r) => [r.name, r.loginServer, r.sku, r.location, r.resourceGroup ?? ""].some((v) => v.toLowerCase().includes(needle)));
  }, [q, rows]);
  return (
    <Card className="overflow-hidden">
      <CardHeader
        title={`${rows.length} ${rows.length === 1 ? "registry" : "registries"}`}
        actions={
          <div className="relative w-64 max-w-full">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-subtle" />
            <Input type="search" aria-label="Search registries" placeholder="Search registries" value={q} onChange={(e) => setQ(e.target.value)} className="h-8 pl-8 text-[13px]" />
          </div>
        }
      />
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="bg-sunken/60 text-xs font-medium tracking-wide text-muted uppercase">
            <tr>
              <th scope="col" className="px-5 py-2.5 font-medium">Name</th>
              <th scope="col" className="px-5 py-2.5 font-medium">Login server</th>
              <th scope="col" className="px-5 py-2.5 font-medium">SKU</th>
              <th scope="col" className="hidden px-5 py-2.5 font-medium sm:table-cell">Location</th>
              <th scope="col" className="hidden px-5 py-2.5 font-medium md:table-cell">Resource group</th>
              <th scope="col" className="hidden px-5 py-2.5 font-medium lg:table-cell">Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {shown.map((r) => (
              <tr key={r.id} className="transition-colors hover:bg-hover/60">
                <td className="px-5 py-3">
                  <Link href={`/registries/${r.name}`} className="group flex items-center gap-2.5 rounded">
                    <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-soft-fg">
                      <RegistryIcon className="size-4" />
                    </span>
                    <span className="font-medium text-fg group-hover:text-accent group-hover:underline">{r.name}</span>
                  </Link>
                </td>
                <td className="px-5 py-3">
                  <div className="flex items-center gap-1">
                    <code className="font-mono text-[13px] text-muted">{r.loginServer}</code>
                    <CopyButton text={r.loginServer} label={`Copy login server of ${r.name}`} className="size-6" />
                  </div>
                </td>
                <td className="px-5 py-3">
                  <SkuBadge sku={r.sku} />
                </td>
                <td className="hidden px-5 py-3 text-muted sm:table-cell">{r.location}</td>
                <td className="hidden px-5 py-3 text-muted md:table-cell">{r.resourceGroup ?? "—"}</td>
                <td className="hidden px-5 py-3 text-muted lg:table-cell">
                  <time dateTime={r.created}>{r.createdLabel}</time>
                </td>
              </tr>
            ))}
            {shown.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-5 py-10 text-center text-sm text-muted">
                  No registry matches “{q.trim()}”.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
