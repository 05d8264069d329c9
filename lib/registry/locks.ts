import { hotReads } from "./hot-reads";
import { db } from "../core/db";
import { recordActivity } from "../services/activity";
import { invalid, notFound } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import type { Operation } from "../auth/roles";
import { isDigest } from "../core/digest";
import { denied, type WharfError } from "../core/errors";
import { isValidRepositoryName, isValidTag } from "../core/names";

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
 * Who may change them (as ACR, where updating attributes needs write access to
 * the repository's content): `push` on the repository for write/read/list, and
 * `deleteImage` for deleteEnabled. Locks guard against accidents, not against
 * someone who may push anyway.
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

export type LockTarget = { registry: string; repository: string; tag?: string; digest?: string };
export type LockView = {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  level: LockLevel;
  changeableAttributes: LockFlags;
};

const SELECT_FLAGS = { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true } as const;

function flagsOf(row: LockFlags): LockFlags {
  return { writeEnabled: row.writeEnabled, deleteEnabled: row.deleteEnabled, readEnabled: row.readEnabled, listEnabled: row.listEnabled };
}

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

// ---- The service (portal, CLI) -------------------------------------------------------

function checkTarget(target: LockTarget): { registry: string; repository: string; tag?: string; digest?: string } {
  const registry = (target.registry ?? "").trim().toLowerCase();
  if (!/^[a-z0-9]{5,50}$/.test(registry)) throw invalid(`'${target.registry}' is not a registry name (5–50 letters and digits).`, "registry");
  const repository = (target.repository ?? "").trim();
  if (!isValidRepositoryName(repository)) {
    throw invalid(`'${target.repository}' is not a repository name: lower-case path components like team/app.`, "repository");
  }
  if (target.tag !== undefined && target.digest !== undefined) {
    throw invalid("Name a tag or a digest, not both: a tag lock and a manifest lock are separate.", "tag");
  }
  if (target.tag !== undefined && !isValidTag(target.tag)) throw invalid(`'${target.tag}' is not a valid tag.`, "tag");
  if (target.digest !== undefined && !isDigest(target.digest)) {
    throw invalid(`'${target.digest}' is not a digest; use sha256:<64 hex digits>.`, "digest");
  }
  return { registry, repository, tag: target.tag, digest: target.digest };
}

function levelOf(t: { tag?: string; digest?: string }): LockLevel {
  return t.tag !== undefined ? "tag" : t.digest !== undefined ? "manifest" : "repository";
}

function label(t: { registry: string; repository: string; tag?: string; digest?: string }): string {
  return `${t.registry}/${t.repository}${t.tag !== undefined ? `:${t.tag}` : t.digest !== undefined ? `@${t.digest}` : ""}`;
}

async function loadRow(t: { registry: string; repository: string; tag?: string; digest?: string }) {
  const reg = await db().registry.findUnique({ where: { name: t.registry }, select: { id: true, name: true } });
  if (!reg) throw notFound(`Registry '${t.registry}' not found. List registries with \`wharf registry list\`.`);
  const repo = await db().repository.findUnique({
    where: { registryId_name: { registryId: reg.id, name: t.repository } },
    select: { id: true, ...SELECT_FLAGS },
  });
  if (!repo) throw notFound(`Repository '${t.repository}' not found in registry ${reg.name}.`);
  if (t.tag !== undefined) {
    const tag = await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: t.tag } }, select: { id: true, ...SELECT_FLAGS } });
    if (!tag) throw notFound(`Tag '${t.tag}' not found in ${reg.name}/${t.repository}.`);
    return { reg, level: "tag" as const, id: tag.id, flags: flagsOf(tag) };
  }
  if (t.digest !== undefined) {
    const m = await db().manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest: t.digest } }, select: { id: true, ...SELECT_FLAGS } });
    if (!m) throw notFound(`Manifest ${t.digest} not found in ${reg.name}/${t.repository}.`);
    return { reg, level: "manifest" as const, id: m.id, flags: flagsOf(m) };
  }
  return { reg, level: "repository" as const, id: repo.id, flags: flagsOf(repo) };
}

/** The locks of a repository, a tag or a manifest. Needs pull on the repository. */
export async function getLocks(actor: Actor, target: LockTarget): Promise<LockView> {
  const t = checkTarget(target);
  await requireActor(actor, "pull", { type: "repository", registry: t.registry, repository: t.repository });
  const row = await loadRow(t);
  return { ...t, level: row.level, changeableAttributes: row.flags };
}

/** Sets some of the four flags; the others keep their value. Records an activity entry. */
export async function setLocks(actor: Actor, target: LockTarget, change: Partial<LockFlags>): Promise<LockView> {
  const t = checkTarget(target);
  if (!change || typeof change !== "object" || Array.isArray(change)) throw invalid("Give the locks to change, e.g. { writeEnabled: false }.", "locks");
  const keys = Object.keys(change).filter((k) => (change as Record<string, unknown>)[k] !== undefined);
  for (const k of keys) {
    if (!(LOCK_FIELDS as readonly string[]).includes(k)) throw invalid(`Unknown lock '${k}'. Use ${LOCK_FIELDS.join(", ")}.`, "locks");
    if (typeof (change as Record<string, unknown>)[k] !== "boolean") throw invalid(`${k} must be true or false.`, k);
  }
  if (!keys.length) throw invalid(`Give at least one of ${LOCK_FIELDS.join(", ")}.`, "locks");
  const scope = { type: "repository", registry: t.registry, repository: t.repository } as const;
  const needed = new Set<Operation>(keys.map((k) => (k === "deleteEnabled" ? "deleteImage" : "push")));
  for (const op of needed) await requireActor(actor, op, scope);

  const row = await loadRow(t);
  const after: LockFlags = { ...row.flags };
  for (const k of keys as LockField[]) after[k] = change[k] as boolean;
  const data = Object.fromEntries(keys.map((k) => [k, after[k as LockField]]));
  await db().$transaction(async (tx) => {
    if (row.level === "repository") await tx.repository.update({ where: { id: row.id }, data });
    else if (row.level === "tag") await tx.tag.update({ where: { id: row.id }, data });
    else await tx.manifest.update({ where: { id: row.id }, data });
    await recordActivity(tx, { actor: actorName(actor), action: `${row.level}.updateLocks`, target: label(t), registryId: row.reg.id, before: row.flags, after });
  });
  return { ...t, level: levelOf(t), changeableAttributes: after };
}
