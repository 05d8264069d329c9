import { hotReads } from "./hot-reads";
import { db } from "../core/db";
import { denied, type WharfError } from "../core/errors";

/**
 * Locks: ACR's `changeableAttributes` on a repository, a tag or a manifest. All
 * default to true; clearing one locks:
 *   writeEnabled  false: the tag cannot be moved (a push to it with other content),
 *                 the repository takes no new pushes; and, as ACR, what is
 *                 write-locked cannot be deleted either (an immutable image).
 *   deleteEnabled false: cannot be deleted (a repository: nothing in it can).
 *   readEnabled   false: cannot be pulled (manifest GET/HEAD by tag or digest).
 *   listEnabled   false: hidden from `tags/list` (tag) or `_catalog` (repository),
 *                 still pullable. A manifest's listEnabled is kept for listings of
 *                 manifests (portal); /v2 has none.
 * Changing them is the control plane's (lib/services/locks.ts: who may, and the
 * activity record); this file holds what they mean and the data plane's checks.
 * Locks guard against accidents, not against someone who may push anyway.
 * Refusals are 403 DENIED (an OCI code) with a message naming the lock and how to
 * lift it; ACR answers 405 with its own code REGISTRY_DISALLOWED_OPERATION, which
 * clients print the same way (only the message matters to a person).
 * The data plane checks them where it already reads the rows: pulls in the hot
 * read query itself, writes and deletes inside their transaction.
 */

export const LOCK_FIELDS = ["writeEnabled", "deleteEnabled", "readEnabled", "listEnabled"] as const;
export type LockField = (typeof LOCK_FIELDS)[number];
export type LockFlags = Record<LockField, boolean>;
export type LockLevel = "repository" | "tag" | "manifest";

// ---- Data-plane refusals (engine errors: 403 DENIED on /v2) -------------------------

export type LockedThing = { level: LockLevel; repository: string; tag?: string; digest?: string };

function describeThing(t: LockedThing): string {
  if (t.level === "repository") return `Repository ${t.repository}`;
  if (t.level === "tag") return `Tag '${t.tag}' of ${t.repository}`;
  return `Manifest ${t.digest} of ${t.repository}`;
}

function lift(t: LockedThing, field: LockField): string {
  const where = t.level === "repository" ? "the repository" : t.level === "tag" ? `tag '${t.tag}'` : `manifest ${t.digest}`;
  const who = field === "deleteEnabled" ? "delete" : "push";
  return `To lift the lock, set ${field} to true on ${where} (portal: Repositories → Locks), which needs ${who} permission on ${t.repository}.`;
}

/** The refusal for an operation a lock forbids; `field` is the flag that is false. */
export function lockDenied(op: "write" | "delete" | "read", thing: LockedThing, field: LockField): WharfError {
  const verb = op === "write" ? (thing.level === "repository" ? "pushed to" : "overwritten") : op === "delete" ? "deleted" : "pulled";
  return denied(`${describeThing(thing)} is locked (${field}=false), so it cannot be ${verb}. ${lift(thing, field)}`, {
    lock: field,
    level: thing.level,
    repository: thing.repository,
    ...(thing.tag ? { tag: thing.tag } : {}),
    ...(thing.digest ? { digest: thing.digest } : {}),
  });
}

/** Deleting needs both flags: a write-locked (immutable) thing is not deletable either. */
export function deleteBlockedBy(flags: Pick<LockFlags, "writeEnabled" | "deleteEnabled">): LockField | null {
  if (!flags.deleteEnabled) return "deleteEnabled";
  if (!flags.writeEnabled) return "writeEnabled";
  return null;
}

/**
 * Refuses reading blobs through a repository locked against reads: a read-locked repository serves no manifest, so
 * its layers are not served either (a manifest- or tag-level read lock leaves shared layers alone).
 */
export async function assertRepositoryReadable(repo: { id: string; fullName: string }): Promise<void> {
  if (!(await hotReads().repositoryReadable(repo.id))) throw lockDenied("read", { level: "repository", repository: repo.fullName }, "readEnabled");
}

/** Refuses pushes into a write-locked repository (blob upload start); one indexed read. */
export async function assertRepositoryWritable(repo: { id: string; fullName: string }): Promise<void> {
  const r = await db().repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true } });
  if (r && !r.writeEnabled) throw lockDenied("write", { level: "repository", repository: repo.fullName }, "writeEnabled");
}

/** Refuses deleting from a repository locked against deletion (blob DELETE). */
export async function assertRepositoryDeletable(repo: { id: string; fullName: string }): Promise<void> {
  const r = await db().repository.findUnique({ where: { id: repo.id }, select: { writeEnabled: true, deleteEnabled: true } });
  const field = r && deleteBlockedBy(r);
  if (field) throw lockDenied("delete", { level: "repository", repository: repo.fullName }, field);
}
