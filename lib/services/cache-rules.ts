import { db, type Tx } from "../core/db";
import { serializeKey } from "../registry/row-locks";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { pendingCounts } from "../registry/cache/cache-stats";
import { forgetCacheRules } from "../registry/cache/rules";
import { checkRuleName, checkRuleShape, targetCovers, targetsOverlap } from "../registry/cache/rule-match";
import { recordActivity } from "./activity";
import { loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";

/**
 * Cache rules (az acr cache): pulls of a target repository (or `prefix/*`) that miss are fetched from the source
 * upstream, stored and served (lib/registry/cache). No fixed limit on their number; a rule may not cover a repository
 * that already exists (it would mix pushed and cached content) nor overlap another rule (one name, one upstream).
 */

export const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 365 * 24 * 3600;

export type CacheRuleView = {
  name: string;
  sourceRepo: string;
  targetRepo: string;
  credentialSet: string | null;
  ttlSeconds: number;
  hits: number;
  misses: number;
  upstreamErrors: number;
  bytesCached: number;
  lastRefreshAt: Date | null;
  lastUpstreamError: string | null;
  createdBy: string | null;
  createdAt: Date;
};

export type CacheRuleDetail = CacheRuleView & { cachedRepositories: string[] };

const SELECT = {
  id: true,
  name: true,
  sourceRepo: true,
  targetRepo: true,
  ttlSeconds: true,
  hits: true,
  misses: true,
  upstreamErrors: true,
  bytesCached: true,
  lastRefreshAt: true,
  lastUpstreamError: true,
  createdBy: true,
  createdAt: true,
  credentialSet: { select: { name: true } },
} as const;

type Row = {
  id: string;
  name: string;
  sourceRepo: string;
  targetRepo: string;
  ttlSeconds: number;
  hits: bigint;
  misses: bigint;
  upstreamErrors: bigint;
  bytesCached: bigint;
  lastRefreshAt: Date | null;
  lastUpstreamError: string | null;
  createdBy: string | null;
  createdAt: Date;
  credentialSet: { name: string } | null;
};

/** Stored counters plus what this node has counted but not yet written. */
function view(r: Row): CacheRuleView {
  const p = pendingCounts(r.id);
  const refreshed = Math.max(r.lastRefreshAt?.getTime() ?? 0, p.lastRefreshAt ?? 0);
  return {
    name: r.name,
    sourceRepo: r.sourceRepo,
    targetRepo: r.targetRepo,
    credentialSet: r.credentialSet?.name ?? null,
    ttlSeconds: r.ttlSeconds,
    hits: Number(r.hits) + p.hits,
    misses: Number(r.misses) + p.misses,
    upstreamErrors: Number(r.upstreamErrors) + p.upstreamErrors,
    bytesCached: Number(r.bytesCached) + p.bytesCached,
    lastRefreshAt: refreshed ? new Date(refreshed) : null,
    lastUpstreamError: p.lastUpstreamError ?? r.lastUpstreamError,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}

function checkTtl(value: unknown): number {
  const n = typeof value === "number" ? value : Number(String(value ?? "").trim());
  if (!Number.isInteger(n) || n < 0 || n > MAX_TTL_SECONDS) {
    throw invalid(`The TTL must be a whole number of seconds from 0 (check the upstream on every tag pull) to ${MAX_TTL_SECONDS}; got '${String(value)}'.`, "ttlSeconds");
  }
  return n;
}

async function credentialSetFor(reg: LoadedRegistry, name: string | undefined, sourceHost: string): Promise<string | null> {
  if (name === undefined || name.trim() === "") return null;
  const set = await db().credentialSet.findUnique({ where: { registryId_name: { registryId: reg.id, name: name.trim() } }, select: { id: true, loginServer: true } });
  if (!set) throw notFound(`Registry ${reg.name} has no credential set '${name.trim()}'. Create it first: wharf credential-set create --registry ${reg.name} --name ${name.trim()} …`, "credentialSet");
  if (set.loginServer !== sourceHost) {
    throw invalid(`Credential set '${name.trim()}' logs in to ${set.loginServer}, but the rule's source is on ${sourceHost}. Use a set for ${sourceHost}.`, "credentialSet");
  }
  return set.id;
}

async function findRule(reg: LoadedRegistry, name: unknown): Promise<Row> {
  const n = String(name ?? "").trim();
  const row = await db().cacheRule.findUnique({ where: { registryId_name: { registryId: reg.id, name: n } }, select: SELECT });
  if (!row) throw notFound(`Registry ${reg.name} has no cache rule '${n}'. List them with \`wharf cache list --registry ${reg.name}\`.`, "name");
  return row;
}

export async function listCacheRules(actor: Actor, input: { registry: string }): Promise<CacheRuleView[]>;
/** With `withRepositories`, each rule also names the repositories it has filled (the portal's Cache tab). */
export async function listCacheRules(actor: Actor, input: { registry: string; withRepositories: true }): Promise<CacheRuleDetail[]>;
export async function listCacheRules(actor: Actor, input: { registry: string; withRepositories?: boolean }): Promise<CacheRuleView[] | CacheRuleDetail[]> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().cacheRule.findMany({ where: { registryId: reg.id }, orderBy: { name: "asc" }, select: SELECT });
  if (!input.withRepositories) return rows.map(view);
  return Promise.all(rows.map(async (r) => ({ ...view(r), cachedRepositories: await coveredRepositories(reg.id, r.targetRepo) })));
}

/** The rule, its counters and the repositories it has filled. */
export async function showCacheRule(actor: Actor, input: { registry: string; name: string }): Promise<CacheRuleDetail> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  const row = await findRule(reg, input.name);
  return { ...view(row), cachedRepositories: await coveredRepositories(reg.id, row.targetRepo) };
}

async function coveredRepositories(registryId: string, targetRepo: string, client: Tx = db()): Promise<string[]> {
  const base = targetRepo.endsWith("/*") ? targetRepo.slice(0, -2) : targetRepo;
  const rows = await client.repository.findMany({
    where: { registryId, ...(targetRepo.endsWith("/*") ? { name: { startsWith: `${base}/` } } : { name: base }) },
    select: { name: true },
    orderBy: { name: "asc" },
    take: 1000,
  });
  return rows.map((r) => r.name).filter((n) => targetCovers(targetRepo, n));
}

export async function createCacheRule(
  actor: Actor,
  input: { registry: string; name: string; sourceRepo: string; targetRepo: string; credentialSet?: string; ttlSeconds?: number | string },
): Promise<CacheRuleView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const name = checkRuleName(input.name, "cache rule");
  const { sourceRepo, targetRepo, source } = checkRuleShape(input);
  const ttlSeconds = input.ttlSeconds === undefined || input.ttlSeconds === "" ? DEFAULT_TTL_SECONDS : checkTtl(input.ttlSeconds);
  const credentialSetId = await credentialSetFor(reg, input.credentialSet, source.host);
  try {
    const row = await db().$transaction(async (tx) => {
      // PostgreSQL: two overlapping rules created at once would each see none of the other.
      await serializeKey(tx, `cache-rules:${reg.id}`);
      const others = await tx.cacheRule.findMany({ where: { registryId: reg.id }, select: { name: true, targetRepo: true } });
      const clash = others.find((o) => targetsOverlap(o.targetRepo, targetRepo));
      if (clash) throw conflict(`Target '${targetRepo}' overlaps cache rule '${clash.name}' (target '${clash.targetRepo}'): a repository may be under one rule only. Pick a target outside it.`, "targetRepo");
      const existing = await coveredRepositories(reg.id, targetRepo, tx);
      if (existing.length) {
        throw conflict(`Target '${targetRepo}' covers existing repository '${existing[0]}'${existing.length > 1 ? ` (and ${existing.length - 1} more)` : ""}: a rule may not shadow pushed content. Pick another target, or delete the repository first.`, "targetRepo");
      }
      const created = await tx.cacheRule.create({ data: { registryId: reg.id, name, sourceRepo, targetRepo, ttlSeconds, credentialSetId, createdBy: actorName(actor) }, select: SELECT });
      await recordActivity(tx, { actor: actorName(actor), action: "cacheRule.create", target: reg.name, registryId: reg.id, after: { name, sourceRepo, targetRepo, credentialSet: input.credentialSet ?? null, ttlSeconds } });
      return created;
    });
    forgetCacheRules(reg.id);
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Registry ${reg.name} already has a cache rule named '${name}' or one for target '${targetRepo}'. Pick another name or target.`, "name");
    throw err;
  }
}

/** As az acr cache update: the credential set (`""` removes it), and here also the TTL. Source and target stay. */
export async function updateCacheRule(actor: Actor, input: { registry: string; name: string; credentialSet?: string; ttlSeconds?: number | string }): Promise<CacheRuleView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (input.credentialSet === undefined && (input.ttlSeconds === undefined || input.ttlSeconds === "")) throw invalid("Nothing to change: give --cred-set and/or --ttl.", "credentialSet");
  const row = await findRule(reg, input.name);
  const data: { credentialSetId?: string | null; ttlSeconds?: number } = {};
  if (input.credentialSet !== undefined) data.credentialSetId = await credentialSetFor(reg, input.credentialSet, checkRuleShape(row).source.host);
  if (input.ttlSeconds !== undefined && input.ttlSeconds !== "") data.ttlSeconds = checkTtl(input.ttlSeconds);
  const updated = await db().$transaction(async (tx) => {
    const u = await tx.cacheRule.update({ where: { id: row.id }, data, select: SELECT });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "cacheRule.update",
      target: reg.name,
      registryId: reg.id,
      before: { name: row.name, credentialSet: row.credentialSet?.name ?? null, ttlSeconds: row.ttlSeconds },
      after: { name: row.name, credentialSet: u.credentialSet?.name ?? null, ttlSeconds: u.ttlSeconds },
    });
    return u;
  });
  forgetCacheRules(reg.id);
  return view(updated);
}

/** Removes the rule; what it cached stays, as ordinary repositories (as ACR keeps cached images). */
export async function deleteCacheRule(actor: Actor, input: { registry: string; name: string }): Promise<{ deleted: true; name: string }> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const row = await findRule(reg, input.name);
  await db().$transaction(async (tx) => {
    await tx.cacheRule.delete({ where: { id: row.id } });
    await recordActivity(tx, { actor: actorName(actor), action: "cacheRule.delete", target: reg.name, registryId: reg.id, before: { name: row.name, sourceRepo: row.sourceRepo, targetRepo: row.targetRepo } });
  });
  forgetCacheRules(reg.id);
  return { deleted: true, name: row.name };
}
