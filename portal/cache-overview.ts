import type { Actor } from "@wharf/lib/auth/actor";
import { listCacheRules, type CacheRuleDetail } from "@wharf/lib/services/cache-rules";
import { listCredentialSets } from "@wharf/lib/services/credential-sets";

/** What the Cache tab shows, as plain JSON for the browser: never a password (the services never return one). */
export type CacheRuleRow = Omit<CacheRuleDetail, "lastRefreshAt" | "createdBy" | "createdAt"> & { lastRefreshAt: string | null };

export type CredentialSetRow = {
  name: string;
  loginServer: string;
  username: string;
  healthy: boolean | null;
  lastLoginResult: string | null;
  lastLoginError: string | null;
  lastLoginAt: string | null;
  rules: string[];
};

export type CacheOverview = { rules: CacheRuleRow[]; credentialSets: CredentialSetRow[]; loadedAt: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadCacheOverview(actor: Actor, registry: string): Promise<CacheOverview> {
  const [rules, sets] = await Promise.all([listCacheRules(actor, { registry, withRepositories: true }), listCredentialSets(actor, { registry })]);
  return {
    rules: rules.map((r) => ({
      name: r.name,
      sourceRepo: r.sourceRepo,
      targetRepo: r.targetRepo,
      credentialSet: r.credentialSet,
      ttlSeconds: r.ttlSeconds,
      hits: r.hits,
      misses: r.misses,
      upstreamErrors: r.upstreamErrors,
      bytesCached: r.bytesCached,
      lastRefreshAt: iso(r.lastRefreshAt),
      lastUpstreamError: r.lastUpstreamError,
      cachedRepositories: r.cachedRepositories,
    })),
    credentialSets: sets.map((s) => ({
      name: s.name,
      loginServer: s.loginServer,
      username: s.username,
      healthy: s.healthy,
      lastLoginResult: s.lastLoginResult,
      lastLoginError: s.lastLoginError,
      lastLoginAt: iso(s.lastLoginAt),
      rules: s.rules,
    })),
    loadedAt: new Date().toISOString(),
  };
}
