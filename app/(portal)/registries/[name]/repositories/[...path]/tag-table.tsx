"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import type { TimeText } from "@/components/ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { LockIndicator } from "@/components/lock-indicator";
import { Time } from "@/components/ui/time";
import { DeleteButton, DeleteUnavailable } from "@/components/repositories/delete-button";
import { LocksButton } from "@/components/repositories/locks-button";
import type { LockFlags } from "@wharf/lib/services/locks";

/** One tag as the table shows it: every text already formatted on the server, so hydration sees the same words. */
export type TagTableRow = {
  name: string;
  digest: string;
  shortDigest: string;
  size: string;
  platforms: string[];
  artifactType: string | null;
  created: TimeText;
  updated: TimeText;
  locks: LockFlags;
  /** Why Delete would be refused (a lock, a write-once rule), or null. */
  deleteBlocked: string | null;
};

export type TagTableHeader = { key: string; label: string; className?: string; href?: string; sort?: "ascending" | "descending"; arrow?: string };

/**
 * The tags of one repository page. A client component fed plain rows: the page's RSC payload then carries the
 * data once (a few hundred bytes a tag) instead of the whole element tree of every row.
 */
export function TagTable(props: {
  rows: TagTableRow[];
  headers: TagTableHeader[];
  base: string;
  image: string;
  registry: string;
  repository: string;
  canDelete: boolean;
  canLock: boolean;
}) {
  const { rows, headers, base, image, registry, repository, canDelete, canLock } = props;
  return (
    <Table>
      <THead>
        <tr>
          {headers.map((h) => (
            <Th key={h.key} className={h.className} aria-sort={h.sort}>
              {h.href ? (
                <Link href={h.href} className={`inline-flex items-center gap-1 hover:text-fg ${h.sort ? "text-fg" : ""}`}>
                  {h.label}
                  <span aria-hidden="true" className={h.sort ? "" : "opacity-0"}>{h.arrow}</span>
                </Link>
              ) : h.key === "actions" ? (
                <span className="sr-only">{h.label}</span>
              ) : (
                h.label
              )}
            </Th>
          ))}
        </tr>
      </THead>
      <TBody>
        {rows.map((t) => (
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
                  {t.shortDigest}
                </Link>
                <CopyButton text={t.digest} label={`Copy digest of ${t.name}`} className="size-6" />
              </div>
            </Td>
            <Td className="text-right whitespace-nowrap text-muted tabular-nums">{t.size}</Td>
            <Td className="hidden lg:table-cell">
              {t.platforms.length ? (
                <div className="flex flex-wrap gap-1">
                  {t.platforms.map((p) => <Badge key={p}>{p}</Badge>)}
                </div>
              ) : (
                <span className="text-subtle">{t.artifactType ? <Badge tone="accent">{t.artifactType}</Badge> : "—"}</span>
              )}
            </Td>
            <Td className="hidden text-muted md:table-cell">
              <Time t={t.created} />
            </Td>
            <Td className="text-muted">
              <Time t={t.updated} />
            </Td>
            <Td className="text-right whitespace-nowrap">
              <div className="flex items-center justify-end gap-1">
                <CopyButton text={`docker pull ${image}:${t.name}`} label={`Copy pull command for ${t.name}`} className="size-7" />
                {canLock ? <LocksButton registry={registry} repository={repository} tag={t.name} locks={t.locks} compact /> : null}
                {!canDelete ? null : t.deleteBlocked ? (
                  <DeleteUnavailable what={`tag ${t.name}`} reason={t.deleteBlocked} compact />
                ) : (
                  <DeleteButton kind="tag" registry={registry} repository={repository} tag={t.name} compact />
                )}
              </div>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
