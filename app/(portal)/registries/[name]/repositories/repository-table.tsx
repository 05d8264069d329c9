"use client";

import Link from "next/link";
import type { TimeText } from "@/components/ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { LockIndicator } from "@/components/lock-indicator";
import type { LockFlags } from "@wharf/lib/services/locks";

/** One repository as the list shows it, every text formatted on the server. */
export type RepositoryTableRow = {
  name: string;
  tags: string;
  manifests: string;
  size: string;
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
          <Th className="hidden text-right md:table-cell">Size</Th>
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
            <Td className="hidden text-right text-muted tabular-nums md:table-cell">{r.size}</Td>
            <Td className="text-muted">
              <Time t={r.updated} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
