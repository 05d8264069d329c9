"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Code } from "@/components/ui/code";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { LockIndicator } from "@/components/lock-indicator";
import { shortDigest } from "@/components/ui/format";
import { useAction } from "@/components/use-action";
import { deleteManifestsAction } from "@/portal/actions/manifest-actions";
import type { ManifestItem } from "@/portal/manifest-rows";
import type { ManifestDeleteResult } from "@wharf/lib/services/manifests";

export type RecycleBin = { enabled: boolean; days: number };

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * Confirms deleting the ticked manifests and says what goes with them (their tags, an index's platform manifests,
 * untagged referrers) and whether the recycle bin keeps them. Each manifest is deleted on its own: what was
 * refused (a lock, a write-once rule) is listed with the reason, the rest is gone from the list.
 */
export function DeleteManifestsDialog(props: { open: boolean; onClose: () => void; registry: string; repository: string; items: ManifestItem[]; recycleBin: RecycleBin; onDeleted: (digests: string[]) => void }) {
  const { open, onClose, registry, repository, items, recycleBin, onDeleted } = props;
  const router = useRouter();
  const [results, setResults] = useState<ManifestDeleteResult[] | null>(null);
  const a = useAction(deleteManifestsAction, {
    errors: "inline",
    refresh: false,
    success: (r) => {
      const n = r.filter((x) => x.deleted).length;
      return n ? `${recycleBin.enabled ? "Moved" : "Deleted"} ${plural(n, "manifest", "manifests")}${recycleBin.enabled ? " to the recycle bin" : ""}.` : null;
    },
    onSuccess: (r) => {
      const deleted = r.filter((x) => x.deleted).map((x) => x.digest);
      if (deleted.length) {
        onDeleted(deleted);
        // The header's tag and manifest counts come from the server.
        router.refresh();
      }
      if (r.every((x) => x.deleted)) onClose();
      else setResults(r);
    },
  });
  const tags = [...new Set(items.flatMap((m) => m.tags))];
  const indexes = items.filter((m) => m.isIndex);
  const failed = results?.filter((r) => !r.deleted) ?? [];
  const done = results?.filter((r) => r.deleted) ?? [];

  return (
    <Dialog open={open} onClose={onClose} wide title={results ? "Some manifests were not deleted" : `Delete ${plural(items.length, "manifest", "manifests")}?`}>
      {results ? (
        <div className="space-y-3 text-sm">
          {done.length ? <p className="text-muted">{plural(done.length, "manifest was", "manifests were")} deleted (with what went with them).</p> : null}
          <Alert tone="danger" title={`${plural(failed.length, "manifest", "manifests")} could not be deleted`}>
            <ul className="mt-1 space-y-1.5" data-testid="delete-failures">
              {failed.map((f) => (
                <li key={f.digest} className="[overflow-wrap:anywhere]">
                  <span className="font-mono text-[13px]">{shortDigest(f.digest)}</span>: {f.error}
                </li>
              ))}
            </ul>
            <p className="mt-2">They stay ticked in the list. Unlock them (Locks on the manifest or tag), or change the write-once rule, then delete again.</p>
          </Alert>
          <DialogFooter>
            <Button variant="secondary" onClick={onClose}>Done</Button>
          </DialogFooter>
        </div>
      ) : (
        <div className="space-y-3 text-sm text-muted">
          <ul className="max-h-64 divide-y divide-line overflow-y-auto rounded-md border border-line" aria-label="Manifests to delete">
            {items.map((m) => (
              <li key={m.digest} className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2">
                <span className="font-mono text-[13px] text-fg" title={m.digest}>{m.shortDigest}</span>
                <LockIndicator locks={m.locks} />
                {m.tags.length ? m.tags.map((t) => <Badge key={t}>{t}</Badge>) : <Badge tone="warning">untagged</Badge>}
                <span className="ml-auto tabular-nums">{m.size}</span>
                {m.isIndex && m.platforms.length ? (
                  <span className="w-full text-[12px]">with its platform manifests ({m.platforms.join(", ")}) unless a tag or another index holds them</span>
                ) : null}
              </li>
            ))}
          </ul>
          {tags.length ? (
            <p>
              Their tags go with them: {tags.map((t, i) => <span key={t}>{i ? ", " : ""}<Code>{t}</Code></span>)}. Clients pulling those tags get “manifest unknown”.
            </p>
          ) : null}
          {indexes.length ? <p>Deleting an index deletes its untagged platform manifests that no other index names.</p> : null}
          <p>Untagged referrers of these manifests (signatures, SBOMs) go with them. Locked manifests and tags under a write-once rule are refused; the others are deleted anyway.</p>
          {recycleBin.enabled ? (
            <Alert>This registry keeps a recycle bin: they can be restored for {plural(recycleBin.days, "day", "days")}, and their storage stays in use until then.</Alert>
          ) : (
            <p className="font-medium text-fg">This registry has no recycle bin: this cannot be undone. Garbage collection then frees the storage nothing else uses.</p>
          )}
          {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={onClose}>Cancel</Button>
            <Button variant="danger" pending={a.pending} onClick={() => a.run({ registry, repository, digests: items.map((m) => m.digest) })}>
              {a.pending ? "Deleting…" : `Delete ${plural(items.length, "manifest", "manifests")}`}
            </Button>
          </DialogFooter>
        </div>
      )}
    </Dialog>
  );
}
