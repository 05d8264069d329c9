import { db } from "../core/db";
import { invalid, notFound } from "../core/errors";
import { isDigest } from "../core/digest";
import { isValidTag } from "../core/names";
import { actorName, requireActor, type Actor } from "../auth/actor";
import type { Operation } from "../auth/roles";
import { LOCK_FIELDS, type LockField, type LockFlags, type LockLevel } from "../registry/locks";
import { recordActivity } from "./activity";
import { loadRegistry, type LoadedRegistry } from "./load-registry";
import { checkRepositoryName, LOCK_SELECT, loadRepository, locksOf } from "./repository-access";

/**
 * Reading and changing locks (ACR's `changeableAttributes`) from the portal and the
 * CLI. What each lock means, and the refusals the data plane gives, are the engine's
 * (lib/registry/locks.ts); this is who may change them, and the activity record.
 */

export type { LockField, LockFlags, LockLevel } from "../registry/locks";

export type LockTarget = { registry: string; repository: string; tag?: string; digest?: string };
export type LockView = {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  level: LockLevel;
  changeableAttributes: LockFlags;
};

type Target = { reg: LoadedRegistry; registry: string; repository: string; tag?: string; digest?: string };

async function checkTarget(target: LockTarget): Promise<Target> {
  const reg = await loadRegistry(target.registry);
  const repository = checkRepositoryName(target.repository);
  if (target.tag !== undefined && target.digest !== undefined) {
    throw invalid("Name a tag or a digest, not both: a tag lock and a manifest lock are separate.", "tag");
  }
  if (target.tag !== undefined && !isValidTag(target.tag)) throw invalid(`'${target.tag}' is not a valid tag.`, "tag");
  if (target.digest !== undefined && !isDigest(target.digest)) {
    throw invalid(`'${target.digest}' is not a digest; use sha256:<64 hex digits>.`, "digest");
  }
  return { reg, registry: reg.name, repository, tag: target.tag, digest: target.digest };
}

function label(t: Target): string {
  return `${t.registry}/${t.repository}${t.tag !== undefined ? `:${t.tag}` : t.digest !== undefined ? `@${t.digest}` : ""}`;
}

function view(t: Target, level: LockLevel, flags: LockFlags): LockView {
  return { registry: t.registry, repository: t.repository, tag: t.tag, digest: t.digest, level, changeableAttributes: flags };
}

async function loadRow(t: Target) {
  const repo = await loadRepository(t.reg, t.repository);
  if (t.tag !== undefined) {
    const tag = await db().tag.findUnique({ where: { repositoryId_name: { repositoryId: repo.id, name: t.tag } }, select: { id: true, ...LOCK_SELECT } });
    if (!tag) throw notFound(`Tag '${t.tag}' not found in ${t.registry}/${t.repository}.`, "tag");
    return { level: "tag" as const, id: tag.id, flags: locksOf(tag) };
  }
  if (t.digest !== undefined) {
    const m = await db().manifest.findUnique({ where: { repositoryId_digest: { repositoryId: repo.id, digest: t.digest } }, select: { id: true, ...LOCK_SELECT } });
    if (!m) throw notFound(`Manifest ${t.digest} not found in ${t.registry}/${t.repository}.`, "digest");
    return { level: "manifest" as const, id: m.id, flags: locksOf(m) };
  }
  return { level: "repository" as const, id: repo.id, flags: locksOf(repo) };
}

const scopeOf = (t: Target) => ({ type: "repository", registry: t.registry, repository: t.repository, resourceGroup: t.reg.resourceGroupName }) as const;

/** The locks of a repository, a tag or a manifest. Needs pull on the repository. */
export async function getLocks(actor: Actor, target: LockTarget): Promise<LockView> {
  const t = await checkTarget(target);
  await requireActor(actor, "pull", scopeOf(t));
  const row = await loadRow(t);
  return view(t, row.level, row.flags);
}

/**
 * Sets some of the four flags; the others keep their value. `push` on the
 * repository changes write/read/list, `deleteImage` changes deleteEnabled (as ACR,
 * where changing attributes needs write access to the content). Records an activity entry.
 */
export async function setLocks(actor: Actor, target: LockTarget, change: Partial<LockFlags>): Promise<LockView> {
  const t = await checkTarget(target);
  if (!change || typeof change !== "object" || Array.isArray(change)) throw invalid("Give the locks to change, e.g. { writeEnabled: false }.", "locks");
  const keys = Object.keys(change).filter((k) => (change as Record<string, unknown>)[k] !== undefined);
  for (const k of keys) {
    if (!(LOCK_FIELDS as readonly string[]).includes(k)) throw invalid(`Unknown lock '${k}'. Use ${LOCK_FIELDS.join(", ")}.`, "locks");
    if (typeof (change as Record<string, unknown>)[k] !== "boolean") throw invalid(`${k} must be true or false.`, k);
  }
  if (!keys.length) throw invalid(`Give at least one of ${LOCK_FIELDS.join(", ")}.`, "locks");
  const needed = new Set<Operation>(keys.map((k) => (k === "deleteEnabled" ? "deleteImage" : "push")));
  for (const op of needed) await requireActor(actor, op, scopeOf(t));

  const row = await loadRow(t);
  const data = Object.fromEntries(keys.map((k) => [k, change[k as LockField]]));
  const after = await db().$transaction(async (tx) => {
    // Only the flags given are written, so two people changing different locks both keep theirs.
    const select = LOCK_SELECT;
    const updated =
      row.level === "repository"
        ? await tx.repository.update({ where: { id: row.id }, data, select })
        : row.level === "tag"
          ? await tx.tag.update({ where: { id: row.id }, data, select })
          : await tx.manifest.update({ where: { id: row.id }, data, select });
    const flags = locksOf(updated);
    await recordActivity(tx, { actor: actorName(actor), action: `${row.level}.updateLocks`, target: label(t), registryId: t.reg.id, before: row.flags, after: flags });
    return flags;
  });
  return view(t, row.level, after);
}
