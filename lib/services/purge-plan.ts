import type { LockField } from "../registry/locks";

/**
 * What a purge of one repository deletes, computed from a snapshot of its rows without touching them, so a dry run
 * and the real run print the same list. It follows the engine's own rules (lib/registry/manifest-delete.ts): a tag
 * delete only untags; a manifest delete takes with it the untagged, unlocked index children no other manifest names
 * and the untagged referrers of anything removed. Pure: the unit tests feed it snapshots.
 */

export type ManifestNode = { id: string; digest: string; updatedAt: Date; subjectDigest: string | null; locked: LockField | null; bytes: number };
export type TagNode = { name: string; manifestId: string; updatedAt: Date; locked: LockField | null };
export type RepositorySnapshot = {
  name: string;
  locked: LockField | null;
  manifests: ManifestNode[];
  tags: TagNode[];
  /** Child manifests each index names (manifestId → digests). */
  children: Map<string, string[]>;
};

export type SkipReason = "locked" | "write-once" | "keep" | "not-authorised";
export type PlannedTag = { tag: string; digest: string; lastUpdateTime: Date };
/** `with`: the manifest whose delete takes this one along (an index child or a referrer); null for the one deleted. */
export type PlannedManifest = { digest: string; lastUpdateTime: Date; bytes: number; with: string | null };
export type SkippedItem = { tag?: string; digest?: string; reason: SkipReason; message: string };
export type RepositoryPlan = { repository: string; tags: PlannedTag[]; manifests: PlannedManifest[]; skipped: SkippedItem[] };

export type PlanRules = {
  cutoff: Date;
  keep: number;
  untagged: boolean;
  /** Per tag of the snapshot (same order): does a filter match its name? */
  tagMatches: boolean[];
  /** The write-once rule protecting this tag, described, or null. */
  writeOnce: (tag: string) => string | null;
};

const newestFirst = (a: { updatedAt: Date; name: string }, b: { updatedAt: Date; name: string }) =>
  b.updatedAt.getTime() - a.updatedAt.getTime() || a.name.localeCompare(b.name);

export function planRepository(snap: RepositorySnapshot, rules: PlanRules): RepositoryPlan {
  const plan: RepositoryPlan = { repository: snap.name, tags: [], manifests: [], skipped: [] };
  const byId = new Map(snap.manifests.map((m) => [m.id, m]));
  const old = snap.tags.filter((t, i) => rules.tagMatches[i] && t.updatedAt < rules.cutoff);
  if (snap.locked) {
    if (old.length || rules.untagged) {
      plan.skipped.push({ reason: "locked", message: `Repository ${snap.name} is locked (${snap.locked}=false): nothing in it is deleted.` });
    }
    return plan;
  }
  // As acr-cli: locked tags are never candidates, and --keep counts among the deletable ones, newest first.
  const eligible: TagNode[] = [];
  for (const t of old.sort(newestFirst)) {
    const rule = rules.writeOnce(t.name);
    if (t.locked) plan.skipped.push({ tag: t.name, reason: "locked", message: `Tag '${t.name}' is locked (${t.locked}=false).` });
    else if (rule) plan.skipped.push({ tag: t.name, reason: "write-once", message: `Tag '${t.name}' is write-once (${rule}).` });
    else eligible.push(t);
  }
  eligible.forEach((t, i) => {
    const digest = byId.get(t.manifestId)?.digest ?? "";
    if (i < rules.keep) plan.skipped.push({ tag: t.name, digest, reason: "keep", message: `Kept by --keep ${rules.keep}: one of the ${rules.keep} newest matching tags.` });
    else plan.tags.push({ tag: t.name, digest, lastUpdateTime: t.updatedAt });
  });
  if (rules.untagged) planManifests(snap, rules.cutoff, new Set(plan.tags.map((t) => t.tag)), plan);
  return plan;
}

/** Untagged manifests (after the untagging above) older than the cutoff, with what each delete takes along. */
function planManifests(snap: RepositorySnapshot, cutoff: Date, untagging: Set<string>, plan: RepositoryPlan): void {
  const tagCount = new Map<string, number>();
  for (const t of snap.tags) if (!untagging.has(t.name)) tagCount.set(t.manifestId, (tagCount.get(t.manifestId) ?? 0) + 1);
  const present = new Map(snap.manifests.map((m) => [m.id, m]));
  const byDigest = new Map(snap.manifests.map((m) => [m.digest, m]));
  const referrers = new Map<string, ManifestNode[]>();
  for (const m of snap.manifests) if (m.subjectDigest) (referrers.get(m.subjectDigest) ?? referrers.set(m.subjectDigest, []).get(m.subjectDigest)!).push(m);
  const parents = new Map<string, string[]>();
  for (const [id, kids] of snap.children) for (const d of kids) (parents.get(d) ?? parents.set(d, []).get(d)!).push(id);
  // Kept when a manifest that stays names it (another index), as the engine decides.
  const namedByOther = (digest: string, chosen: Map<string, ManifestNode>) => (parents.get(digest) ?? []).some((id) => present.has(id) && !chosen.has(id));
  // Index children go with their index and referrers with their subject, never on their own (acr-cli does the same).
  const roots = snap.manifests
    .filter((m) => !tagCount.get(m.id) && m.updatedAt < cutoff && !parents.has(m.digest) && !(m.subjectDigest && byDigest.has(m.subjectDigest)))
    .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.digest.localeCompare(b.digest));
  for (const root of roots) {
    if (!present.has(root.id)) continue;
    if (root.locked) {
      plan.skipped.push({ digest: root.digest, reason: "locked", message: `Manifest ${root.digest} is locked (${root.locked}=false).` });
      continue;
    }
    const chosen = new Map([[root.id, root]]);
    let frontier = [root];
    while (frontier.length) {
      // Children the frontier names, and referrers of the frontier, that are still there.
      const reached = [
        ...frontier.flatMap((f) => snap.children.get(f.id) ?? []).map((d) => byDigest.get(d)),
        ...frontier.flatMap((f) => referrers.get(f.digest) ?? []),
      ];
      const next: ManifestNode[] = [];
      for (const c of new Set(reached)) {
        if (!c || !present.has(c.id) || chosen.has(c.id) || tagCount.get(c.id) || c.locked) continue;
        if (namedByOther(c.digest, chosen)) continue;
        chosen.set(c.id, c);
        next.push(c);
      }
      frontier = next;
    }
    for (const m of chosen.values()) {
      present.delete(m.id);
      plan.manifests.push({ digest: m.digest, lastUpdateTime: m.updatedAt, bytes: m.bytes, with: m === root ? null : root.digest });
    }
  }
}

/** Items a plan deletes (tags untagged plus manifests deleted). */
export const planSize = (plans: RepositoryPlan[]) => plans.reduce((n, p) => n + p.tags.length + p.manifests.length, 0);
