import { db } from "../core/db";
import { isDigest } from "../core/digest";
import { manifestUnknown } from "../core/errors";
import { deleteBlockedBy, lockDenied } from "./locks";
import type { Repo } from "./repository-resolver";

/** By digest: the manifest and its tags. By tag: only the tag. Refused (DENIED) by delete or write locks. */
export async function deleteManifest(repo: Repo, reference: string): Promise<void> {
  const flags = { writeEnabled: true, deleteEnabled: true } as const;
  await db().$transaction(async (tx) => {
    // Locks are read in the deleting transaction, so a lock set just before wins.
    const r = await tx.repository.findUnique({ where: { id: repo.id }, select: flags });
    const repoBlock = r && deleteBlockedBy(r);
    if (isDigest(reference)) {
      const m = await tx.manifest.findUnique({
        where: { repositoryId_digest: { repositoryId: repo.id, digest: reference } },
        select: { id: true, ...flags, tags: { select: { name: true, ...flags } } },
      });
      if (!m) throw manifestUnknown(`Manifest ${reference} is not in ${repo.fullName}.`, { digest: reference });
      if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
      const own = deleteBlockedBy(m);
      if (own) throw lockDenied("delete", { level: "manifest", repository: repo.fullName, digest: reference }, own);
      // Deleting a manifest deletes its tags: a locked tag keeps it.
      for (const t of m.tags) {
        const field = deleteBlockedBy(t);
        if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: t.name }, field);
      }
      await tx.manifest.delete({ where: { id: m.id } });
      return;
    }
    const t = await tx.tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: reference } }, select: { id: true, ...flags } });
    if (!t) throw manifestUnknown(`Tag '${reference}' is not in ${repo.fullName}.`, { tag: reference });
    if (repoBlock) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, repoBlock);
    const field = deleteBlockedBy(t);
    if (field) throw lockDenied("delete", { level: "tag", repository: repo.fullName, tag: reference }, field);
    await tx.tag.delete({ where: { id: t.id } });
  });
}
