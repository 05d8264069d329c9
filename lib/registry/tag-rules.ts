import type { Tx } from "../core/db";
import { denied } from "../core/errors";
import type { Repo } from "./repository-resolver";

/**
 * Write-once tags: a tag matching a rule of its registry (repository pattern and tag pattern, both globs) may be
 * pushed once, then never moved to another manifest or deleted, and its manifest cannot be deleted either.
 * Rules are read in the writing transaction, so a rule added just before wins.
 */

export type TagRuleRow = { id: string; repositoryPattern: string; tagPattern: string };

/** '*' matches within one path segment, '**' across segments, '?' one character; everything else literally. */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

export function ruleMatches(rule: Pick<TagRuleRow, "repositoryPattern" | "tagPattern">, repository: string, tag: string): boolean {
  return globToRegExp(rule.repositoryPattern).test(repository) && globToRegExp(rule.tagPattern).test(tag);
}

/** The first rule of the registry that makes `tag` of `repository` write-once, or null. */
export async function writeOnceRuleFor(tx: Tx, registryId: string, repository: string, tags: string[]): Promise<(TagRuleRow & { tag: string }) | null> {
  if (!tags.length) return null;
  const rules = await tx.tagRule.findMany({ where: { registryId }, select: { id: true, repositoryPattern: true, tagPattern: true }, orderBy: { createdAt: "asc" } });
  for (const rule of rules) {
    for (const tag of tags) if (ruleMatches(rule, repository, tag)) return { ...rule, tag };
  }
  return null;
}

/** Refuses (DENIED) moving or deleting a tag a write-once rule protects. */
export async function refuseWriteOnce(tx: Tx, repo: Repo, tags: string | string[], what: "move" | "delete"): Promise<void> {
  const rule = await writeOnceRuleFor(tx, repo.registryId, repo.name, Array.isArray(tags) ? tags : [tags]);
  if (!rule) return;
  const verb = what === "move" ? "pushed again to point at another manifest" : "deleted";
  throw denied(
    `Tag '${rule.tag}' of ${repo.fullName} is write-once (rule: repositories '${rule.repositoryPattern}', tags '${rule.tagPattern}'): it cannot be ${verb}. Push a new tag instead, or ask an owner to remove the rule.`,
    { repository: repo.fullName, tag: rule.tag, rule: rule.id },
  );
}
