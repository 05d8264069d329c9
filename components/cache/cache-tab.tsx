"use client";

import { useQuery } from "@tanstack/react-query";
import { cacheOverviewAction } from "@/portal/actions/cache-actions";
import type { CacheOverview } from "@/portal/cache-overview";
import { Alert } from "../ui/alert";
import { formatDateTime } from "../ui/format";
import { CacheRulesCard } from "./cache-rules-card";
import { CredentialSetsCard } from "./credential-sets-card";
import { cacheQueryKey } from "./query-key";

/** Rule counters reach the database in batches every ~5 s; polling at that pace shows them move without a reload. */
const POLL_MS = 5_000;

/**
 * The registry's Cache tab: cache rules with their counters and credential sets with their health. `cannotChange`
 * is why the caller may not create or delete (null when they may): the tab is then read-only, its buttons say why.
 */
export function CacheTab({ registry, initial, cannotChange }: { registry: string; initial: CacheOverview; cannotChange: string | null }) {
  const overview = useQuery({
    queryKey: cacheQueryKey(registry),
    initialData: initial,
    queryFn: async () => {
      const r = await cacheOverviewAction({ registry });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const data = overview.data;
  return (
    <div className="space-y-6">
      {overview.isError ? (
        <Alert tone="danger" title="The figures could not be refreshed">
          {overview.error.message} Showing what was loaded at {formatDateTime(data.loadedAt)}; the page keeps trying every few seconds.
        </Alert>
      ) : null}
      <CacheRulesCard registry={registry} rules={data.rules} credentialSets={data.credentialSets} cannotChange={cannotChange} />
      <CredentialSetsCard registry={registry} sets={data.credentialSets} cannotChange={cannotChange} />
    </div>
  );
}
