"use client";

import { useId, useState } from "react";
import type { PurgePlan, PurgeRunResult } from "@wharf/lib/services/purge";
import { previewPurgeAction, runPurgeAction } from "@/portal/actions/purge-actions";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { formatBytes } from "../ui/format";
import { Input } from "../ui/input";
import { useAction } from "../use-action";
import { PurgePlanList } from "./purge-plan-list";

const FIELDS = ["filters", "ago", "keep"] as const;
const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * `acr purge` in the portal: filters, age, keep and untagged; "Preview" lists exactly what would go (nothing is
 * deleted), "Delete N items" deletes that list (refused if it changed since), then the outcome per item.
 */
export function PurgeButton({ registry }: { registry: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [filters, setFilters] = useState("");
  const [ago, setAgo] = useState("30d");
  const [keep, setKeep] = useState("0");
  const [untagged, setUntagged] = useState(false);
  const [preview, setPreview] = useState<PurgePlan | null>(null);
  const [result, setResult] = useState<PurgeRunResult | null>(null);
  const previewing = useAction(previewPurgeAction, { errors: "inline", fields: FIELDS, refresh: false });
  const deleting = useAction(runPurgeAction, {
    errors: "inline",
    fields: FIELDS,
    success: (d) => `Purge done: ${plural(d.counts.tagsDeleted, "tag", "tags")} untagged, ${plural(d.counts.manifestsDeleted, "manifest", "manifests")} deleted.`,
  });
  const input = () => ({
    registry,
    filters: filters.split("\n").map((f) => f.trim()).filter(Boolean),
    ago: ago.trim() || undefined,
    keep: keep.trim() === "" ? undefined : Number(keep),
    untagged,
  });
  // Any change to the form makes the preview stale: the delete button only ever deletes what is on screen.
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPreview(null);
    setResult(null);
    previewing.reset();
    deleting.reset();
  };
  const count = preview ? preview.counts.tags + preview.counts.manifests : 0;
  const formError = previewing.formError ?? deleting.formError;

  function runPreview(e?: React.FormEvent) {
    e?.preventDefault();
    setResult(null);
    deleting.reset();
    previewing.run(input(), setPreview);
  }
  function runDelete() {
    if (!preview) return;
    deleting.run({ ...input(), fingerprint: preview.fingerprint }, (r) => {
      setResult(r);
      setPreview(null);
    });
  }

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Purge…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        wide
        title="Purge tags and manifests"
        description="As az acr purge: untag tags whose names match a filter and that were last updated before the given age; optionally delete the manifests left without tags. Locked and write-once tags are never touched."
      >
        <form onSubmit={runPreview} className="space-y-4" aria-describedby={`${id}-summary`}>
          <Field id={`${id}-filters`} label="Filters (one per line)" hint="REPOSITORY_REGEX:TAG_REGEX, matching whole names, e.g. hello-world:.* or .*:dev-.*" error={previewing.fieldError("filters") ?? deleting.fieldError("filters")}>
            <textarea
              id={`${id}-filters`}
              value={filters}
              onChange={(e) => edit(setFilters)(e.target.value)}
              onKeyDown={(e) => {
                // Ctrl/⌘+Enter previews from the multi-line field (Enter adds a line).
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) runPreview();
              }}
              rows={3}
              required
              spellCheck={false}
              placeholder="hello-world:.*"
              aria-invalid={!!previewing.fieldError("filters") || undefined}
              className="block w-full rounded-md border border-line-strong bg-surface px-3 py-2 font-mono text-sm text-fg shadow-card focus:border-accent focus:ring-3 focus:ring-focus/25 focus-visible:outline-none aria-invalid:border-danger"
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id={`${id}-ago`} label="Older than" hint="A duration: 30d, 12h, 2d3h6m, 0d (any age)." error={previewing.fieldError("ago") ?? deleting.fieldError("ago")}>
              <Input id={`${id}-ago`} value={ago} onChange={(e) => edit(setAgo)(e.target.value)} spellCheck={false} aria-invalid={!!previewing.fieldError("ago") || undefined} />
            </Field>
            <Field id={`${id}-keep`} label="Keep newest" hint="Matching tags to keep per repository." error={previewing.fieldError("keep") ?? deleting.fieldError("keep")}>
              <Input id={`${id}-keep`} type="number" min={0} step={1} value={keep} onChange={(e) => edit(setKeep)(e.target.value)} aria-invalid={!!previewing.fieldError("keep") || undefined} />
            </Field>
          </div>
          <label className="flex cursor-pointer items-start gap-3 rounded-md border border-line px-3 py-2.5 hover:bg-hover/60">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-[var(--wh-accent)]"
              checked={untagged}
              onChange={(e) => edit(setUntagged)(e.target.checked)}
              aria-labelledby={`${id}-untagged`}
              aria-describedby={`${id}-untagged-desc`}
            />
            <span>
              <span id={`${id}-untagged`} className="block text-sm font-medium text-fg">Also delete untagged manifests</span>
              <span id={`${id}-untagged-desc`} className="block text-[13px] text-muted">
                Manifests in the matching repositories left without tags (and older than the age) are deleted; images pulled by digest stop working. Index
                children and signatures go with what they belong to.
              </span>
            </span>
          </label>
          <div id={`${id}-summary`} aria-live="polite" className="space-y-3">
            {preview ? (
              <>
                <p className="text-sm text-fg" data-testid="purge-summary">
                  Would untag {plural(preview.counts.tags, "tag", "tags")} and delete {plural(preview.counts.manifests, "manifest", "manifests")} ({formatBytes(preview.counts.bytes)})
                  {preview.counts.skipped ? `; ${plural(preview.counts.skipped, "item is", "items are")} skipped` : ""}. Nothing has been deleted yet.
                </p>
                <PurgePlanList result={preview} done={false} />
              </>
            ) : null}
            {result ? (
              <>
                <p className="text-sm text-fg" data-testid="purge-summary">
                  Untagged {plural(result.counts.tagsDeleted, "tag", "tags")}, deleted {plural(result.counts.manifestsDeleted, "manifest", "manifests")} ({formatBytes(result.counts.bytes)})
                  {result.counts.failed ? `; ${plural(result.counts.failed, "item was", "items were")} not deleted` : ""}. Garbage collection frees the space that no other image uses.
                </p>
                <PurgePlanList result={result} done />
              </>
            ) : null}
          </div>
          {formError ? <Alert tone="danger">{formError}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {result ? "Done" : "Cancel"}
            </Button>
            <Button type="submit" variant={preview ? "secondary" : "primary"} pending={previewing.pending} disabled={deleting.pending}>
              {previewing.pending ? "Previewing…" : preview ? "Preview again" : "Preview"}
            </Button>
            {preview && count > 0 ? (
              <Button variant="danger" onClick={runDelete} pending={deleting.pending}>
                {deleting.pending ? "Deleting…" : `Delete ${plural(count, "item", "items")}`}
              </Button>
            ) : null}
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
