import type { PurgePlan, PurgeRunResult } from "@wharf/lib/services/purge";
import { Badge, type BadgeTone } from "../ui/badge";
import { formatBytes, formatDateTime, shortDigest } from "../ui/format";

/** What a purge would delete (preview) or did delete (result), per repository, with skipped items and why. */

const SKIP_LABEL: Record<string, string> = { locked: "Locked", "write-once": "Write-once", keep: "Kept (--keep)", "not-authorised": "No permission" };
type Outcome = { deleted?: boolean; error?: string };
const outcome = (x: object) => x as Outcome;

function Status({ done, item }: { done: boolean; item: Outcome }) {
  if (!done) return null;
  return item.deleted ? <Badge tone="success">Deleted</Badge> : <Badge tone="danger">Not deleted</Badge>;
}

function Row({ action, tone, name, detail, done, item }: { action: string; tone: BadgeTone; name: string; detail: string; done: boolean; item: Outcome }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2">
      <Badge tone={tone}>{action}</Badge>
      <code className="font-mono text-[13px] break-all text-fg">{name}</code>
      <span className="text-[13px] text-muted">{detail}</span>
      <span className="ml-auto">
        <Status done={done} item={item} />
      </span>
      {done && item.error ? <p className="w-full text-[13px] text-danger">{item.error}</p> : null}
    </li>
  );
}

export function PurgePlanList({ result, done }: { result: PurgePlan | PurgeRunResult; done: boolean }) {
  const items = result.repositories.reduce((n, r) => n + r.tags.length + r.manifests.length + r.skipped.length, 0);
  if (!items) {
    return (
      <p className="rounded-md border border-dashed border-line px-4 py-6 text-center text-sm text-muted" data-testid="purge-empty">
        Nothing to delete: no tag matches the filters and was last updated more than {result.ago} ago
        {result.untagged ? ", and no untagged manifest in the matching repositories is that old" : ""}.
      </p>
    );
  }
  return (
    <div className="max-h-80 space-y-3 overflow-auto" data-testid="purge-list">
      {result.repositories.map((r) => (
        <section key={r.repository} aria-label={`Repository ${r.repository}`} className="rounded-md border border-line">
          <h3 className="border-b border-line bg-sunken/50 px-3 py-1.5 text-sm font-medium text-fg">{r.repository}</h3>
          <ul className="divide-y divide-line">
            {r.tags.map((t) => (
              <Row key={`t-${t.tag}`} action="Untag" tone="warning" name={`${r.repository}:${t.tag}`} detail={`${shortDigest(t.digest)} · updated ${formatDateTime(t.lastUpdateTime)}`} done={done} item={outcome(t)} />
            ))}
            {r.manifests.map((m) => (
              <Row
                key={`m-${m.digest}`}
                action="Delete"
                tone="danger"
                name={`${r.repository}@${shortDigest(m.digest)}`}
                detail={`${formatBytes(m.bytes)}${m.with ? ` · with ${shortDigest(m.with)}` : ` · updated ${formatDateTime(m.lastUpdateTime)}`}`}
                done={done}
                item={outcome(m)}
              />
            ))}
            {r.skipped.map((s, i) => (
              <li key={`s-${i}`} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-3 py-2">
                <Badge tone="neutral">{SKIP_LABEL[s.reason] ?? s.reason}</Badge>
                {s.tag || s.digest ? <code className="font-mono text-[13px] text-fg">{s.tag ? `${r.repository}:${s.tag}` : `${r.repository}@${shortDigest(s.digest ?? "")}`}</code> : null}
                <span className="text-[13px] text-muted">{s.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {result.hiddenRepositories ? <p className="text-[13px] text-muted">{result.hiddenRepositories} matching repositories are not visible to you and are left alone.</p> : null}
    </div>
  );
}
