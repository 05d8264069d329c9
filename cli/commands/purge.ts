import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { loginServerOf } from "../../lib/services/login-server";
import { planPurge, runPurge, type PurgePlan, type PurgeRunResult } from "../../lib/services/purge";
import { optionalText, registryOption, text, words } from "../args";
import { UsageError } from "../errors";
import type { Args, CommandSpec } from "../command";
import { formatBytes } from "../views";

/**
 * `wharf purge`, as `az acr run --cmd "acr purge …"`: the progress lines acr purge prints go to stderr ("Would
 * delete: …" / "Deleted: …" and the totals); stdout carries the result per --output (json by default; table and tsv
 * give one row per tag or manifest).
 */

type Row = { action: "untag" | "delete" | "skip"; repository: string; tag: string | null; digest: string; lastUpdateTime: Date | null; status: string; detail: string | null };

/** A planned item, or one with its outcome after a run. */
type Item = { deleted?: boolean; error?: string; with?: string | null };
const item = (x: object) => x as Item;

function rows(result: PurgePlan | PurgeRunResult, dryRun: boolean): Row[] {
  const status = (x: Item) => (dryRun ? "would delete" : x.deleted ? "deleted" : "failed");
  const detail = (x: Item) => x.error ?? (x.with ? `goes with ${x.with}` : null);
  return result.repositories.flatMap((r) => [
    ...r.tags.map((t): Row => ({ action: "untag", repository: r.repository, tag: t.tag, digest: t.digest, lastUpdateTime: t.lastUpdateTime, status: status(item(t)), detail: detail(item(t)) })),
    ...r.manifests.map((m): Row => ({ action: "delete", repository: r.repository, tag: null, digest: m.digest, lastUpdateTime: m.lastUpdateTime, status: status(item(m)), detail: detail(item(m)) })),
    ...r.skipped.map((s): Row => ({ action: "skip", repository: r.repository, tag: s.tag ?? null, digest: s.digest ?? "", lastUpdateTime: null, status: s.reason, detail: s.message })),
  ]);
}

/** The lines acr purge prints, per repository, then the totals. */
function report(result: PurgePlan | PurgeRunResult, dryRun: boolean, note: (line: string) => void): void {
  const { loginServer, repositoryPrefix } = loginServerOf(result.registry);
  const image = (repo: string) => `${loginServer}/${repositoryPrefix}${repo}`;
  if (dryRun) note("DRY RUN: The following output shows what WOULD be deleted if the purge command was executed. Nothing is deleted.");
  for (const r of result.repositories) {
    const verb = (x: Item) => (dryRun ? "Would delete" : x.deleted ? "Deleted" : `Not deleted (${x.error})`);
    if (r.tags.length) note(`${dryRun ? "Would delete" : "Deleting"} tags for repository: ${r.repository}`);
    for (const t of r.tags) note(`${verb(item(t))}: ${image(r.repository)}:${t.tag}`);
    if (r.manifests.length) note(`${dryRun ? "Would delete" : "Deleting"} manifests for repository: ${r.repository}`);
    for (const m of r.manifests) note(`${verb(item(m))}: ${image(r.repository)}@${m.digest}${m.with ? ` (with ${m.with.slice(0, 19)}…)` : ""}`);
    for (const s of r.skipped) note(`Skipped: ${image(r.repository)}${s.tag ? `:${s.tag}` : s.digest ? `@${s.digest}` : ""}: ${s.message}`);
  }
  if (result.hiddenRepositories) note(`${result.hiddenRepositories} matching repositories are not visible to you and were left alone.`);
  const c = result.counts;
  if ("tagsDeleted" in c) {
    note(`\nNumber of deleted tags: ${c.tagsDeleted}`);
    note(`Number of deleted manifests: ${c.manifestsDeleted} (${formatBytes(c.bytes)}${c.recycled ? `, ${c.recycled} kept in the recycle bin` : ""})`);
    if (c.failed) note(`Number of items not deleted: ${c.failed}`);
  } else {
    note(`\nNumber of tags to be deleted: ${c.tags}`);
    note(`Number of manifests to be deleted: ${c.manifests} (${formatBytes(c.bytes)})`);
  }
  if (c.skipped) note(`Number of items skipped: ${c.skipped}`);
}

function keepOf(v: Args["keep"]): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(String(v))) throw new UsageError(`argument --keep: must be a whole number ≥ 0 (got '${String(v)}').`);
  return Number(v);
}

export const purge: CommandSpec = {
  summary: "Untag images older than a duration whose names match filters, and optionally delete untagged manifests (acr purge).",
  options: [
    registryOption,
    { flags: "-f, --filter <filter>", required: true, words: true, help: "REPOSITORY_REGEX:TAG_REGEX; both must match whole names (e.g. 'hello-world:.*', '.*:^v1\\..*'). Repeat for more." },
    { flags: "--ago <duration>", help: "Only tags (and untagged manifests) last updated before this long ago, e.g. 30d, 2d3h6m, 0d. Default 0d (any age)." },
    { flags: "--keep <n>", help: "Keep this many of the newest matching tags in each repository." },
    { flags: "--untagged", help: "Then delete the manifests left without tags in the matched repositories (not index children or referrers of what stays)." },
    { flags: "--dry-run", help: "Show what would be deleted; delete nothing." },
  ],
  examples: [
    { title: "Preview untagging every tag older than 30 days in hello-world.", command: "wharf purge --registry myregistry --filter 'hello-world:.*' --ago 30d --dry-run" },
    { title: "Untag tags starting with dev- older than 7 days everywhere, keep the newest 5 per repository, delete manifests left untagged.", command: "wharf purge -r myregistry --filter '.*:dev-.*' --ago 7d --keep 5 --untagged" },
  ],
  table: [
    { header: "ACTION", field: "action" },
    { header: "REPOSITORY", field: "repository" },
    { header: "TAG", field: "tag" },
    { header: "DIGEST", field: "digest" },
    { header: "LAST UPDATE", field: "lastUpdateTime" },
    { header: "STATUS", field: "status" },
    { header: "DETAIL", field: "detail" },
  ],
  run: async (args, { note, warn }) => {
    const input = { registry: text(args.registry), filters: words(args.filter).flat(), ago: optionalText(args.ago), keep: keepOf(args.keep), untagged: args.untagged === true };
    const dryRun = args["dryRun"] === true;
    const result = dryRun ? await planPurge(me, input) : await runPurge(me, input);
    report(result, dryRun, note);
    if ("tagsDeleted" in result.counts && result.counts.failed) warn(`${result.counts.failed} items were not deleted; see the messages above.`);
    if (args.output === "table" || args.output === "tsv") return rows(result, dryRun);
    return { dryRun, ...result };
  },
};
