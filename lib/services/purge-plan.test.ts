import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { planRepository, type ManifestNode, type PlanRules, type RepositorySnapshot, type TagNode } from "./purge-plan";

const DAY = 86_400_000;
const now = new Date("2026-11-30T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

const m = (id: string, age: number, extra: Partial<ManifestNode> = {}): ManifestNode => ({ id, digest: `sha256:${id}`, updatedAt: daysAgo(age), subjectDigest: null, locked: null, bytes: 100, ...extra });
const t = (name: string, manifestId: string, age: number, extra: Partial<TagNode> = {}): TagNode => ({ name, manifestId, updatedAt: daysAgo(age), locked: null, ...extra });

function snap(manifests: ManifestNode[], tags: TagNode[], children: Record<string, string[]> = {}, locked: RepositorySnapshot["locked"] = null): RepositorySnapshot {
  return { name: "app", locked, manifests, tags, children: new Map(Object.entries(children).map(([k, v]) => [k, v.map((d) => `sha256:${d}`)])) };
}
const rules = (s: RepositorySnapshot, over: Partial<PlanRules> & { pattern?: RegExp } = {}): PlanRules => ({
  cutoff: daysAgo(30),
  keep: 0,
  untagged: false,
  tagMatches: s.tags.map((x) => (over.pattern ?? /.*/).test(x.name)),
  writeOnce: () => null,
  ...over,
});

describe("purge plan of one repository", () => {
  test("untags matching tags older than the cutoff; newer and non-matching tags stay", () => {
    const s = snap([m("a", 60), m("b", 40), m("c", 5)], [t("v1", "a", 60), t("v2", "b", 40), t("v3", "c", 5), t("keep-me", "a", 60)]);
    const p = planRepository(s, rules(s, { pattern: /^v\d$/ }));
    assert.deepEqual(p.tags.map((x) => x.tag), ["v2", "v1"]);
    assert.equal(p.tags[0].digest, "sha256:b");
    assert.deepEqual(p.manifests, []);
    assert.deepEqual(p.skipped, []);
  });

  test("--keep keeps the newest deletable matches; locked and write-once tags are skipped with their reason and do not count", () => {
    const s = snap([m("a", 90)], [t("v1", "a", 90), t("v2", "a", 80), t("v3", "a", 70, { locked: "deleteEnabled" }), t("v4", "a", 60), t("v5", "a", 50)]);
    const p = planRepository(s, rules(s, { keep: 2, writeOnce: (tag) => (tag === "v4" ? "rule: repositories '**', tags 'v4'" : null) }));
    assert.deepEqual(p.tags.map((x) => x.tag), ["v1"]);
    assert.deepEqual(
      p.skipped.map((x) => [x.tag, x.reason]).sort(),
      [["v2", "keep"], ["v3", "locked"], ["v4", "write-once"], ["v5", "keep"]],
    );
  });

  test("--untagged deletes manifests left untagged by this purge, not those still tagged or too new", () => {
    const s = snap([m("a", 60), m("b", 60), m("c", 60), m("new", 1)], [t("old", "a", 60), t("old2", "b", 60), t("fresh", "b", 2)]);
    const p = planRepository(s, rules(s, { untagged: true }));
    assert.deepEqual(p.tags.map((x) => x.tag).sort(), ["old", "old2"]);
    // a: its only tag goes; b keeps "fresh"; c was already untagged; "new" is younger than the cutoff.
    assert.deepEqual(p.manifests.map((x) => [x.digest, x.with]), [["sha256:a", null], ["sha256:c", null]]);
  });

  test("index children go with their index; referrers with their subject; a locked manifest is skipped", () => {
    const s = snap(
      [m("idx", 60), m("amd", 60), m("arm", 60, { locked: "writeEnabled" }), m("sig", 60, { subjectDigest: "sha256:idx" }), m("kept", 60), m("sbom", 60, { subjectDigest: "sha256:kept" }), m("shared", 60), m("idx2", 60)],
      [t("v1", "kept", 10), t("v2", "idx2", 10)],
      { idx: ["amd", "arm", "shared"], idx2: ["shared"] },
    );
    const p = planRepository(s, rules(s, { untagged: true }));
    // idx takes amd (untagged, unlocked, named only by idx) and its signature; arm is locked, shared is named by idx2 (tagged).
    assert.deepEqual(
      p.manifests.map((x) => [x.digest, x.with]),
      [["sha256:idx", null], ["sha256:amd", "sha256:idx"], ["sha256:sig", "sha256:idx"]],
    );
    assert.deepEqual(p.skipped, []);
    const locked = snap([m("solo", 60, { locked: "deleteEnabled" })], []);
    assert.deepEqual(planRepository(locked, rules(locked, { untagged: true })).skipped.map((x) => [x.digest, x.reason]), [["sha256:solo", "locked"]]);
  });

  test("a locked repository deletes nothing and says so once", () => {
    const s = snap([m("a", 60)], [t("v1", "a", 60)], {}, "deleteEnabled");
    const p = planRepository(s, rules(s, { untagged: true }));
    assert.deepEqual([p.tags, p.manifests], [[], []]);
    assert.deepEqual(p.skipped.map((x) => x.reason), ["locked"]);
  });
});
