import { context, slot } from "../core/context";
import { db } from "../core/db";
import { changeVersion } from "../registry/change-feed";
import type { RegistryRef } from "./authorize";
import type { NetworkSettings } from "./network";

/** What access decisions need to know about a registry. */
export type RegistryPolicy = RegistryRef & NetworkSettings;

const TTL_MS = 2_000;
const policies = slot("registryPolicies", () => new Map<string, { value: RegistryPolicy | null; until: number; version: number | null }>());

/** Forget cached settings, after a change in this process. */
export function forgetRegistryPolicy(name?: string): void {
  const cache = context().get(policies);
  if (name) cache.delete(name);
  else cache.clear();
}

/**
 * The registry's access settings. The token endpoint reads them fresh (a change
 * is live for the next token); /v2's per-request checks (network rules,
 * throttling) may use a copy up to two seconds old — on PostgreSQL only until any
 * node changes a registry (change-feed.ts), so a rule set on node A holds on node B at once.
 */
export async function registryPolicy(name: string, opts: { fresh?: boolean } = {}): Promise<RegistryPolicy | null> {
  const now = Date.now();
  const cache = context().get(policies);
  const version = changeVersion("credentials");
  if (!opts.fresh) {
    const hit = cache.get(name);
    if (hit && hit.until > now && hit.version === version) return hit.value;
  }
  const r = await db().registry.findUnique({ where: { name }, include: { resourceGroup: { select: { name: true } } } });
  const value: RegistryPolicy | null = r && {
    id: r.id,
    name: r.name,
    sku: r.sku,
    anonymousPullEnabled: r.anonymousPullEnabled,
    resourceGroup: r.resourceGroup?.name ?? null,
    publicNetworkAccess: r.publicNetworkAccess,
    networkDefaultAction: r.networkDefaultAction,
    networkRules: r.networkRules,
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(name, { value, until: now + TTL_MS, version });
  return value;
}
