"use client";

import Link from "next/link";
import { useState } from "react";
import type { CacheRuleRow, CredentialSetRow } from "@/portal/cache-overview";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { formatBytes } from "../ui/format";
import { PlusIcon } from "../ui/icons";
import { CreateCacheRuleDialog, DeleteCacheRuleDialog } from "./cache-rule-dialogs";
import { GuardedButton } from "./guarded-button";
import { When } from "./when";

/** At most this many cached repositories are listed per rule; the rest are counted. */
const SHOWN_REPOSITORIES = 20;

export function formatTtl(seconds: number): string {
  if (seconds === 0) return "0 (checked on every tag pull)";
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function CacheRulesCard({ registry, rules, credentialSets, cannotChange }: { registry: string; rules: CacheRuleRow[]; credentialSets: CredentialSetRow[]; cannotChange: string | null }) {
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const createButton = (
    <GuardedButton cannot={cannotChange} onClick={() => setCreating(true)}>
      <PlusIcon className="-ml-0.5 size-4" />
      Create rule
    </GuardedButton>
  );
  return (
    <Card className="overflow-hidden" aria-labelledby="cache-rules-title">
      <CardHeader
        title={<span id="cache-rules-title">Cache rules</span>}
        description="Pulls of a rule's target repositories that miss are fetched from its upstream, stored here, and served from here afterwards."
        actions={rules.length ? createButton : null}
      />
      {rules.length === 0 ? (
        <EmptyState title="No cache rules yet" action={createButton}>
          <p>
            A cache rule maps repositories of this registry to an upstream registry, e.g. <code className="font-mono text-[13px]">ubuntu</code> to{" "}
            <code className="font-mono text-[13px]">docker.io/library/ubuntu</code>. The first pull fetches the image from the upstream and keeps a copy; later
            pulls are served from here, even when the upstream is down or rate-limited.
          </p>
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line">
          {rules.map((r) => (
            <li key={r.name} data-rule={r.name} className="px-5 py-4" aria-label={`Cache rule ${r.name}`}>
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 space-y-1">
                  <h3 className="text-sm font-semibold text-fg">{r.name}</h3>
                  <p className="font-mono text-[13px] break-all text-muted">
                    <span className="sr-only">Source </span>
                    {r.sourceRepo} <span aria-hidden>→</span>
                    <span className="sr-only"> target </span> <span className="text-fg">{r.targetRepo}</span>
                  </p>
                  <p className="text-[13px] text-muted">
                    Credential set: {r.credentialSet ? <span className="text-fg">{r.credentialSet}</span> : "none (anonymous pulls)"} · TTL {formatTtl(r.ttlSeconds)}
                  </p>
                </div>
                <GuardedButton size="sm" variant="ghost" className="text-danger! hover:bg-danger-soft!" cannot={cannotChange} onClick={() => setDeleting(r.name)} aria-label={`Delete cache rule ${r.name}`}>
                  Delete
                </GuardedButton>
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-5">
                <Stat name="hits" label="Hits">{r.hits}</Stat>
                <Stat name="misses" label="Misses">{r.misses}</Stat>
                <Stat name="upstream-errors" label="Upstream errors">
                  {r.upstreamErrors ? <Badge tone="danger">{r.upstreamErrors}</Badge> : 0}
                </Stat>
                <Stat name="bytes" label="Bytes cached">{formatBytes(r.bytesCached)}</Stat>
                <Stat name="last-refresh" label="Last refresh"><When iso={r.lastRefreshAt} /></Stat>
              </dl>
              {r.lastUpstreamError ? <p className="mt-2 text-[13px] break-words text-danger">Last upstream error: {r.lastUpstreamError}</p> : null}
              <div className="mt-3 text-[13px]">
                <span className="text-muted">Cached repositories: </span>
                {r.cachedRepositories.length === 0 ? (
                  <span className="text-muted">none yet — the first pull of {r.targetRepo} fills it.</span>
                ) : (
                  <ul className="inline">
                    {r.cachedRepositories.slice(0, SHOWN_REPOSITORIES).map((repo, i) => (
                      <li key={repo} className="inline">
                        {i ? ", " : null}
                        <Link href={`/registries/${registry}/repositories/${repo}`} className="font-mono text-accent hover:underline">{repo}</Link>
                      </li>
                    ))}
                    {r.cachedRepositories.length > SHOWN_REPOSITORIES ? <li className="inline text-muted"> and {r.cachedRepositories.length - SHOWN_REPOSITORIES} more</li> : null}
                  </ul>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {creating ? <CreateCacheRuleDialog registry={registry} credentialSets={credentialSets} onClose={() => setCreating(false)} /> : null}
      {deleting ? <DeleteCacheRuleDialog registry={registry} rule={deleting} onClose={() => setDeleting(null)} /> : null}
    </Card>
  );
}

function Stat({ name, label, children }: { name: string; label: string; children: React.ReactNode }) {
  return (
    <div data-stat={name}>
      <dt className="text-[12px] text-muted">{label}</dt>
      <dd className="font-medium text-fg tabular-nums">{children}</dd>
    </div>
  );
}
