"use client";

import Link from "next/link";
import type { TimeText } from "@/components/ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { LockIndicator } from "@/components/lock-indicator";
import type { LockFlags } from "@wharf/lib/services/locks";

export type Bytes = { text: string; exact: string };

/** What each storage column means, shown on hover or focus of its header. */
const STORAGE_HINTS = {
  size: "Bytes this repository holds: the layers and configs it links and its manifests, each counted once however many images use it.",
  shared: "Part of the size that other repositories (in any registry) hold too. It is stored once and stays when this repository is deleted.",
  onlyHere: "Part of the size that no other repository holds: what deleting this repository would free.",
} as const;

/**
 * A column header whose meaning shows as its tooltip (`title`: on hover, and as the description
 * assistive tech reads on focus). A native tooltip, because a drawn bubble would be clipped by the
 * table's scroll container when the list has a row or two.
 */
function HintedHeader({ label, hint, className }: { label: string; hint: string; className?: string }) {
  return (
    <Th className={className}>
      <span tabIndex={0} title={hint} className="cursor-help underline decoration-dotted underline-offset-2">
        {label}
      </span>
    </Th>
  );
}

/** One repository as the list shows it, every text formatted on the server. */
export type RepositoryTableRow = {
  name: string;
  tags: string;
  manifests: string;
  /** Human-readable bytes, with the exact count for the cell's title. */
  size: Bytes;
  shared: Bytes;
  onlyHere: Bytes;
  updated: TimeText;
  locks: LockFlags;
};

/** The repository list: a client component fed plain rows, so the page's RSC payload carries the data once. */
export function RepositoryTable({ rows, base }: { rows: RepositoryTableRow[]; base: string }) {
  return (
    <Table>
      <THead>
        <tr>
          <Th>Repository</Th>
          <Th className="text-right">Tags</Th>
          <Th className="hidden text-right sm:table-cell">Manifests</Th>
          <HintedHeader label="Size" hint={STORAGE_HINTS.size} className="hidden text-right md:table-cell" />
          <HintedHeader label="Shared" hint={STORAGE_HINTS.shared} className="hidden text-right lg:table-cell" />
          <HintedHeader label="Only here" hint={STORAGE_HINTS.onlyHere} className="hidden text-right md:table-cell" />
          <Th>Last updated</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.name}>
            <Td>
              <div className="flex items-center gap-2">
                <Link href={`${base}/${r.name}`} className="font-medium text-fg hover:text-accent hover:underline">
                  {r.name}
                </Link>
                <LockIndicator locks={r.locks} />
              </div>
            </Td>
            <Td className="text-right tabular-nums">{r.tags}</Td>
            <Td className="hidden text-right tabular-nums sm:table-cell">{r.manifests}</Td>
            <Td className="hidden text-right text-muted tabular-nums md:table-cell" title={r.size.exact}>{r.size.text}</Td>
            <Td className="hidden text-right text-muted tabular-nums lg:table-cell" title={r.shared.exact}>{r.shared.text}</Td>
            <Td className="hidden text-right text-muted tabular-nums md:table-cell" title={r.onlyHere.exact}>{r.onlyHere.text}</Td>
            <Td className="text-muted">
              <Time t={r.updated} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
