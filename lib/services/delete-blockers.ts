import { db } from "../core/db";
import { deleteBlockedBy, type LockFlags } from "../registry/locks";
import { ruleMatches } from "../registry/tag-rules";

type Lockable = Pick<LockFlags, "writeEnabled" | "deleteEnabled">;
export type TagLocks = { name: string } & Lockable;

const lockWords = (field: string) => (field === "writeEnabled" ? "write-locked (writeEnabled=false, immutable)" : "delete-locked (deleteEnabled=false)");

/**
 * Why the engine would refuse deleting a tag or a manifest of one repository, in
 * words a list shows beside a disabled Delete (the engine checks again when it
 * deletes): the same rules as lib/registry/manifest-delete.ts, from rows the list
 * already read plus one query for the registry's write-once rules.
 */
export async function deleteBlockers(registryId: string, repository: { name: string } & Lockable) {
  const rules = await db().tagRule.findMany({ where: { registryId }, select: { repositoryPattern: true, tagPattern: true }, orderBy: { createdAt: "asc" } });
  const repoField = deleteBlockedBy(repository);
  const repoReason = repoField ? `The repository is ${lockWords(repoField)}: nothing in it can be deleted. Unlock it under Locks first.` : null;
  const writeOnce = (tag: string) => {
    const rule = rules.find((r) => ruleMatches(r, repository.name, tag));
    return rule ? `Tag '${tag}' is write-once (rule: repositories '${rule.repositoryPattern}', tags '${rule.tagPattern}'): it cannot be deleted.` : null;
  };
  const tagReason = (t: TagLocks) => {
    const field = deleteBlockedBy(t);
    return field ? `Tag '${t.name}' is ${lockWords(field)}: unlock it under Locks to delete it.` : writeOnce(t.name);
  };
  return {
    tag: (t: TagLocks): string | null => repoReason ?? tagReason(t),
    manifest: (m: Lockable, tags: TagLocks[]): string | null => {
      if (repoReason) return repoReason;
      const own = deleteBlockedBy(m);
      if (own) return `This manifest is ${lockWords(own)}: unlock it under Locks to delete it.`;
      for (const t of tags) {
        const reason = tagReason(t);
        if (reason) return `${reason} Deleting the manifest would delete its tags.`;
      }
      return null;
    },
  };
}
