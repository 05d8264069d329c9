import { context, slot } from "../../core/context";
import { db } from "../../core/db";
import { ruleFor } from "./rule-match";

/**
 * The cache rules of a registry as the data plane needs them, remembered for a few seconds per registry: every
 * manifest and blob request under a registry asks "is this name under a rule?", and rules change rarely. A rule
 * created or deleted on another node is seen within RULES_MS; on this node at once (forgetCacheRules).
 */
export type ActiveRule = {
  id: string;
  name: string;
  registryId: string;
  sourceRepo: string;
  targetRepo: string;
  ttlSeconds: number;
  credentialSetId: string | null;
};

const RULES_MS = 5_000;
const remembered = slot("cacheRulesByRegistry", () => new Map<string, { rules: ActiveRule[]; until: number }>());

export async function rulesOf(registryId: string): Promise<ActiveRule[]> {
  const m = context().get(remembered);
  const now = Date.now();
  const hit = m.get(registryId);
  if (hit && hit.until > now) return hit.rules;
  const rules = await db().cacheRule.findMany({
    where: { registryId },
    select: { id: true, name: true, registryId: true, sourceRepo: true, targetRepo: true, ttlSeconds: true, credentialSetId: true },
  });
  if (m.size > 10_000) m.clear();
  m.set(registryId, { rules, until: now + RULES_MS });
  return rules;
}

/** The rule whose target covers `repository` in the registry, or null. */
export async function cacheRuleFor(registryId: string, repository: string): Promise<ActiveRule | null> {
  const rules = await rulesOf(registryId);
  return rules.length ? ruleFor(rules, repository) : null;
}

export function forgetCacheRules(registryId?: string): void {
  const m = context().get(remembered);
  if (registryId) m.delete(registryId);
  else m.clear();
}
