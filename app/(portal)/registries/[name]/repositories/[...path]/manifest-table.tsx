"use client";

import Link from "next/link";
import { useEffect, useRef, type ChangeEvent, type MutableRefObject } from "react";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { shortDigest } from "@/components/ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { LockIndicator } from "@/components/lock-indicator";
import type { ManifestItem } from "@/portal/manifest-rows";

const IN_INDEX = "Part of a multi-platform index in this repository: delete the index and it goes too.";

/** Rows of the Manifests view, with a tick box each when the user may delete (shift-click ticks a range). */
export function ManifestTable(props: {
  rows: ManifestItem[];
  registry: string;
  repository: string;
  selectable: boolean;
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
  lastShift: MutableRefObject<number | null>;
}) {
  const { rows, registry, repository, selectable, selected, onSelect, lastShift } = props;
  const base = `/registries/${registry}/repositories/${repository}`;
  // Only what deleting would accept gets a tick box: an index child goes with its index, a locked one not at all.
  const blockedBy = (r: ManifestItem) => (r.inIndex ? IN_INDEX : r.deleteBlocked);
  const tickable = rows.filter((r) => !blockedBy(r));
  const ticked = tickable.filter((r) => selected.has(r.digest)).length;
  const all = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (all.current) all.current.indeterminate = ticked > 0 && ticked < tickable.length;
  }, [ticked, tickable.length]);

  function tick(i: number, e: ChangeEvent<HTMLInputElement>) {
    const next = new Set(selected);
    const on = e.target.checked;
    const shift = "shiftKey" in e.nativeEvent && (e.nativeEvent as MouseEvent).shiftKey;
    const from = shift && lastShift.current !== null ? Math.min(lastShift.current, i) : i;
    const to = shift && lastShift.current !== null ? Math.max(lastShift.current, i) : i;
    for (let k = from; k <= to; k++) {
      const r = rows[k];
      if (!r || blockedBy(r)) continue;
      if (on) next.add(r.digest);
      else next.delete(r.digest);
    }
    lastShift.current = i;
    onSelect(next);
  }

  return (
    <Table>
      <THead>
        <tr>
          {selectable ? (
            <Th className="w-10 pr-0">
              <input
                ref={all}
                type="checkbox"
                className="size-4 accent-[var(--wh-accent)]"
                aria-label={`Select all ${tickable.length} manifests shown`}
                checked={tickable.length > 0 && ticked === tickable.length}
                disabled={!tickable.length}
                onChange={(e) => onSelect(e.target.checked ? new Set([...selected, ...tickable.map((r) => r.digest)]) : new Set())}
              />
            </Th>
          ) : null}
          <Th>Digest</Th>
          <Th>Tags</Th>
          <Th className="text-right">Size</Th>
          <Th className="hidden lg:table-cell">Platforms</Th>
          <Th className="hidden md:table-cell">Created</Th>
          <Th>Updated</Th>
          <Th className="hidden md:table-cell">Last pull</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map((m, i) => (
          <Tr key={m.digest} data-digest={m.digest} aria-selected={selectable ? selected.has(m.digest) : undefined} className={selected.has(m.digest) ? "bg-accent-soft/40" : undefined}>
            {selectable ? (
              <Td className="w-10 pr-0">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--wh-accent)] disabled:opacity-40"
                  aria-label={`Select ${m.shortDigest}${m.tags.length ? ` (${m.tags.join(", ")})` : " (untagged)"}`}
                  title={blockedBy(m) ?? undefined}
                  checked={selected.has(m.digest)}
                  disabled={!!blockedBy(m)}
                  onChange={(e) => tick(i, e)}
                />
              </Td>
            ) : null}
            <Td>
              <div className="flex flex-wrap items-center gap-1.5">
                <Link href={`${base}/-/manifests/${m.digest}`} className="font-mono text-[13px] text-fg hover:text-accent hover:underline" title={m.digest}>
                  {m.shortDigest}
                </Link>
                <CopyButton text={m.digest} label={`Copy digest ${m.shortDigest}`} className="size-6" />
                <LockIndicator locks={m.locks} />
                {m.isIndex ? <Badge tone="accent">index</Badge> : null}
                {m.inIndex ? <Badge title={IN_INDEX}>index child</Badge> : null}
                {m.subjectDigest ? (
                  <Badge title={`Refers to ${m.subjectDigest}: deleted with it when untagged.`}>referrer of {shortDigest(m.subjectDigest)}</Badge>
                ) : null}
              </div>
            </Td>
            <Td>
              {m.tags.length ? (
                <div className="flex flex-wrap gap-1">
                  {m.tags.slice(0, 4).map((t) => <Badge key={t}>{t}</Badge>)}
                  {m.tags.length > 4 ? <Badge title={m.tags.slice(4).join(", ")}>+{m.tags.length - 4}</Badge> : null}
                </div>
              ) : (
                <Badge tone="warning">untagged</Badge>
              )}
            </Td>
            <Td className="text-right whitespace-nowrap text-muted tabular-nums">{m.size}</Td>
            <Td className="hidden lg:table-cell">
              {m.platforms.length ? (
                <div className="flex flex-wrap gap-1">
                  {m.platforms.map((p) => <Badge key={p}>{p}</Badge>)}
                </div>
              ) : (
                <span className="text-subtle">{m.artifactType ? <Badge tone="accent">{m.artifactType}</Badge> : "—"}</span>
              )}
            </Td>
            <Td className="hidden text-muted md:table-cell"><Time t={m.created} /></Td>
            <Td className="text-muted"><Time t={m.updated} /></Td>
            <Td className="hidden text-muted md:table-cell">{m.lastPull ? <Time t={m.lastPull} /> : <span className="text-subtle">never</span>}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
