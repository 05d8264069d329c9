"use client";

import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { DisabledReason } from "@/components/ui/tooltip";
import { listManifestsAction } from "@/portal/actions/manifest-actions";
import type { ManifestFilterName, ManifestItem, ManifestItemPage } from "@/portal/manifest-rows";
import { DeleteManifestsDialog, type RecycleBin } from "./delete-manifests-dialog";
import { ManifestTable } from "./manifest-table";

const FILTER_LABELS: Record<ManifestFilterName, string> = { all: "All manifests", tagged: "Tagged", untagged: "Untagged" };

/**
 * The Manifests view: every manifest of the repository, tagged or not, newest first, a page at a time ("Load more"
 * follows the list's keyset cursor). Manifests can be ticked and deleted together; the filter is kept in the URL.
 */
export function ManifestsCard(props: { registry: string; repository: string; initial: ManifestItemPage; filter: ManifestFilterName; canDelete: boolean; recycleBin: RecycleBin }) {
  const { registry, repository, canDelete, recycleBin } = props;
  const [filter, setFilter] = useState(props.filter);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The dialog gets the ticked manifests as they were when it opened, and a fresh state each time (key).
  const [confirming, setConfirming] = useState<{ key: number; items: ManifestItem[] } | null>(null);
  const queries = useQueryClient();
  const listKey = ["manifests", registry, repository];
  const list = useInfiniteQuery({
    queryKey: [...listKey, filter],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) => {
      const r = await listManifestsAction({ registry, repository, filter, cursor: pageParam });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    getNextPageParam: (last) => last.nextCursor,
    initialData: filter === props.filter ? { pages: [props.initial], pageParams: [null] } : undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total ?? 0;
  const chosen = rows.filter((r) => selected.has(r.digest));
  // A refused manifest stays listed and ticked; one that went (possibly with an index) leaves the list and the selection.
  const lastShift = useRef<number | null>(null);

  function changeFilter(next: ManifestFilterName) {
    setFilter(next);
    setSelected(new Set());
    const url = new URL(window.location.href);
    if (next === "all") url.searchParams.delete("show");
    else url.searchParams.set("show", next);
    // The view is client-side; only the address changes, so a reload shows the same list.
    window.history.replaceState(null, "", url);
  }

  function removeDeleted(digests: string[]) {
    const gone = new Set(digests);
    queries.setQueriesData<InfiniteData<ManifestItemPage>>({ queryKey: listKey }, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((p) => {
              const items = p.items.filter((i) => !gone.has(i.digest));
              return { ...p, items, total: p.total - (p.items.length - items.length) };
            }),
          }
        : data,
    );
    setSelected((s) => new Set([...s].filter((d) => !gone.has(d))));
    void queries.invalidateQueries({ queryKey: listKey });
  }

  const deleteButton = canDelete ? (
    <DisabledReason reason={chosen.length ? null : "Tick the manifests to delete first."}>
      <Button variant="danger" size="sm" disabled={!chosen.length} onClick={() => setConfirming((c) => ({ key: (c?.key ?? 0) + 1, items: chosen }))}>
        {chosen.length ? `Delete ${chosen.length} ${chosen.length === 1 ? "manifest" : "manifests"}` : "Delete manifests"}
      </Button>
    </DisabledReason>
  ) : null;

  return (
    <Card className="overflow-hidden">
      <CardHeader
        title="Manifests"
        description={
          list.isPending
            ? "Loading…"
            : `${total.toLocaleString("en")} ${filter === "all" ? "in all, tagged and untagged" : filter}${canDelete ? "" : " · you may not delete in this repository"}`
        }
        actions={
          <>
            <label htmlFor="manifest-filter" className="sr-only">Show</label>
            <Select id="manifest-filter" value={filter} onChange={(e) => changeFilter(e.target.value as ManifestFilterName)} className="h-9 w-40">
              {(Object.keys(FILTER_LABELS) as ManifestFilterName[]).map((f) => (
                <option key={f} value={f}>{FILTER_LABELS[f]}</option>
              ))}
            </Select>
            {deleteButton}
          </>
        }
      />
      {list.isPending ? (
        <div className="space-y-3 px-5 py-4" aria-busy="true" aria-label="Loading manifests">
          {[0, 1, 2].map((i) => <Skeleton key={i} className="h-8 w-full" />)}
        </div>
      ) : list.isError && !rows.length ? (
        <div className="px-5 py-4">
          <Alert tone="danger" title="The manifests could not be loaded">
            <p>{list.error.message}</p>
            <Button variant="secondary" size="sm" className="mt-2" onClick={() => void list.refetch()}>Try again</Button>
          </Alert>
        </div>
      ) : rows.length === 0 ? (
        <EmptyState title={filter === "untagged" ? "No untagged manifests" : filter === "tagged" ? "No tagged manifests" : "No manifests"}>
          <p>
            {filter === "untagged"
              ? "Deleting a tag, or pushing a tag over another image, leaves the old manifest here, untagged."
              : "Push an image to this repository and it appears here."}
          </p>
        </EmptyState>
      ) : (
        <ManifestTable
          rows={rows}
          registry={registry}
          repository={repository}
          selectable={canDelete}
          selected={selected}
          onSelect={(next) => setSelected(next)}
          lastShift={lastShift}
        />
      )}
      {list.hasNextPage || (list.isError && rows.length) ? (
        <div className="flex items-center justify-between gap-3 border-t border-line px-5 py-3 text-[13px] text-muted">
          <span>{list.isError ? `The next page could not be loaded: ${list.error?.message}` : `${rows.length.toLocaleString("en")} of ${total.toLocaleString("en")} shown`}</span>
          <Button variant="secondary" size="sm" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isError ? "Try again" : "Load more"}
          </Button>
        </div>
      ) : null}
      <DeleteManifestsDialog
        key={confirming?.key ?? 0}
        open={!!confirming}
        onClose={() => setConfirming((c) => (c ? null : c))}
        registry={registry}
        repository={repository}
        items={confirming?.items ?? []}
        recycleBin={recycleBin}
        onDeleted={removeDeleted}
      />
    </Card>
  );
}
