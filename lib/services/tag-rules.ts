import { db } from "../core/db";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { recordActivity } from "./activity";
import { loadRegistry, registryScope } from "./load-registry";

/**
 * Write-once tag rules of a registry: a tag whose repository and name match a rule may be pushed once and then never
 * moved or deleted (enforced by the engine: lib/registry/tag-rules.ts). Managing them needs "changePolicies".
 */

export type TagRuleView = { id: string; repositoryPattern: string; tagPattern: string; createdBy: string | null; createdAt: Date };

export const MAX_PATTERN_LENGTH = 128;
/** Every push of a tag reads the registry's rules: a bounded list keeps that cheap. */
export const MAX_RULES_PER_REGISTRY = 100;

const PATTERN_CHARS = {
  // Repository names are lower-case path components; '*' stays within one component, '**' crosses them.
  repository: { re: /^[a-z0-9._\-/*?]+$/, allowed: "lower-case letters, digits, '.', '_', '-', '/', '*' and '?'" },
  // Tags: letters, digits, '_', '.', '-'.
  tag: { re: /^[A-Za-z0-9._\-*?]+$/, allowed: "letters, digits, '.', '_', '-', '*' and '?'" },
} as const;

/** Checks one glob; the message names the field, the rule broken and an example. */
export function checkPattern(value: unknown, kind: "repository" | "tag"): string {
  const field = kind === "repository" ? "repositoryPattern" : "tagPattern";
  const label = kind === "repository" ? "Repository pattern" : "Tag pattern";
  const s = String(value ?? "").trim();
  if (!s) throw invalid(`${label} is empty. Give a glob such as ${kind === "repository" ? "'**' (every repository) or 'team/*'" : "'v*' or 'release-?.*'"}.`, field);
  if (s.length > MAX_PATTERN_LENGTH) throw invalid(`${label} is ${s.length} characters long; the limit is ${MAX_PATTERN_LENGTH}.`, field);
  const chars = PATTERN_CHARS[kind];
  if (!chars.re.test(s)) {
    const bad = [...s].find((c) => !chars.re.test(c));
    throw invalid(`${label} '${s}' contains '${bad}'; use only ${chars.allowed}.`, field);
  }
  return s;
}

const view = (r: TagRuleView): TagRuleView => ({ id: r.id, repositoryPattern: r.repositoryPattern, tagPattern: r.tagPattern, createdBy: r.createdBy, createdAt: r.createdAt });
const SELECT = { id: true, repositoryPattern: true, tagPattern: true, createdBy: true, createdAt: true } as const;

export async function listTagRules(actor: Actor, input: { registry: string }): Promise<TagRuleView[]> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().tagRule.findMany({ where: { registryId: reg.id }, orderBy: { createdAt: "asc" }, select: SELECT });
  return rows.map(view);
}

export async function createTagRule(actor: Actor, input: { registry: string; tagPattern: string; repositoryPattern?: string }): Promise<TagRuleView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const tagPattern = checkPattern(input.tagPattern, "tag");
  const repositoryPattern = checkPattern(input.repositoryPattern === undefined || String(input.repositoryPattern).trim() === "" ? "**" : input.repositoryPattern, "repository");
  try {
    return await db().$transaction(async (tx) => {
      const same = await tx.tagRule.findFirst({ where: { registryId: reg.id, repositoryPattern, tagPattern }, select: { id: true } });
      if (same) throw duplicate(repositoryPattern, tagPattern, same.id);
      const count = await tx.tagRule.count({ where: { registryId: reg.id } });
      if (count >= MAX_RULES_PER_REGISTRY) throw invalid(`Registry ${reg.name} already has ${count} write-once rules, the most it may have. Remove one, or combine patterns.`, "tagPattern");
      const row = await tx.tagRule.create({ data: { registryId: reg.id, repositoryPattern, tagPattern, createdBy: actorName(actor) }, select: SELECT });
      await recordActivity(tx, { actor: actorName(actor), action: "tagRule.create", target: reg.name, registryId: reg.id, after: { id: row.id, repositoryPattern, tagPattern } });
      return view(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(repositoryPattern, tagPattern);
    throw err;
  }
}

function duplicate(repositoryPattern: string, tagPattern: string, id?: string) {
  return conflict(`A write-once rule for repositories '${repositoryPattern}' and tags '${tagPattern}' already exists${id ? ` (id ${id})` : ""}; nothing to add.`, "tagPattern");
}

export async function deleteTagRule(actor: Actor, input: { registry: string; id: string }): Promise<{ deleted: true; rule: TagRuleView }> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const id = String(input.id ?? "").trim();
  if (!id) throw invalid("Give the id of the rule to remove (see `wharf tag-rule list`).", "id");
  return db().$transaction(async (tx) => {
    const row = await tx.tagRule.findFirst({ where: { id, registryId: reg.id }, select: SELECT });
    if (!row) throw notFound(`Registry ${reg.name} has no write-once rule with id '${id}'. List them with \`wharf tag-rule list --registry ${reg.name}\`.`, "id");
    await tx.tagRule.delete({ where: { id } });
    await recordActivity(tx, { actor: actorName(actor), action: "tagRule.delete", target: reg.name, registryId: reg.id, before: { id, repositoryPattern: row.repositoryPattern, tagPattern: row.tagPattern } });
    return { deleted: true as const, rule: view(row) };
  });
}
