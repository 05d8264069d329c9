"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Code } from "@/components/ui/code";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { shortDigest, type TimeText } from "@/components/ui/format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useAction } from "@/components/use-action";
import { deleteDeletedNowAction, restoreDeletedAction, type RestoreOutcome } from "@/portal/actions/recycle-bin-actions";

export type BinRow = {
  id: string;
  repository: string;
  digest: string;
  tags: string[];
  size: string;
  deleted: TimeText;
  deletedBy: string;
  expires: { text: string; title: string };
  partOf: { digest: string; platform: string | null } | null;
};

const label = (r: BinRow) => `${r.repository}@${shortDigest(r.digest)}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The bin's entries with multi-select Restore and Delete now, each behind a dialog that says what happens. */
export function RecycleBinTable({ registry, rows }: { registry: string; rows: BinRow[] }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<"restore" | "delete" | null>(null);
  const [failed, setFailed] = useState<RestoreOutcome[]>([]);
  const chosen = rows.filter((r) => selected.has(r.id));
  const all = rows.length > 0 && chosen.length === rows.length;
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const close = () => {
    setDialog(null);
    setFailed([]);
  };

  const restoreAction = useAction(restoreDeletedAction, {
    errors: "inline",
    success: (out) => {
      const ok = out.filter((o) => o.ok);
      return ok.length ? `Restored ${plural(ok.reduce((n, o) => n + o.restored, 0), "manifest")}.` : null;
    },
    onSuccess: (out) => {
      const bad = out.filter((o) => !o.ok);
      setFailed(bad);
      setSelected(new Set(rows.filter((r) => bad.some((b) => b.digest === r.digest && b.repository === r.repository)).map((r) => r.id)));
      if (!bad.length) setDialog(null);
    },
  });
  const deleteAction = useAction(deleteDeletedNowAction, {
    errors: "inline",
    success: (out) => `Deleted ${plural(out.filter((o) => o.deleted).length, "manifest")} for good; garbage collection frees their space.`,
    onSuccess: () => {
      setSelected(new Set());
      setDialog(null);
    },
  });
  const restore = (force: boolean, items = chosen.map((r) => ({ repository: r.repository, digest: r.digest }))) => restoreAction.run({ registry, items, force });
  const moved = failed.filter((f) => f.code === "CONFLICT" && f.field === "tag");

  return (
    <>
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-5 py-3 text-sm">
        <span className="mr-auto text-muted" aria-live="polite">
          {chosen.length ? `${chosen.length} selected` : "Select manifests to restore or delete for good."}
        </span>
        <Button size="sm" variant="secondary" disabled={!chosen.length} onClick={() => {
            restoreAction.reset();
            setFailed([]);
            setDialog("restore");
          }}>
          Restore
        </Button>
        <Button size="sm" variant="secondary" className="text-danger!" disabled={!chosen.length} onClick={() => {
            deleteAction.reset();
            setDialog("delete");
          }}>
          Delete now
        </Button>
      </div>
      <Table>
        <THead>
          <tr>
            <Th className="w-10 pr-0">
              <input type="checkbox" aria-label="Select all" checked={all} onChange={() => setSelected(all ? new Set() : new Set(rows.map((r) => r.id)))} className="size-4 accent-[var(--color-accent)]" />
            </Th>
            <Th>Repository</Th>
            <Th>Digest</Th>
            <Th>Tags it had</Th>
            <Th>Size</Th>
            <Th>Deleted</Th>
            <Th>By</Th>
            <Th>Expires</Th>
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <Tr key={r.id} aria-selected={selected.has(r.id)}>
              <Td className="pr-0">
                <input type="checkbox" aria-label={`Select ${label(r)}`} checked={selected.has(r.id)} onChange={() => toggle(r.id)} className="size-4 accent-[var(--color-accent)]" />
              </Td>
              <Td className="font-medium text-fg">{r.repository}</Td>
              <Td>
                <span className="font-mono text-[13px]" title={r.digest}>{shortDigest(r.digest)}</span>
              </Td>
              <Td>
                {r.tags.length ? (
                  <span className="flex flex-wrap gap-1">{r.tags.map((t) => <Code key={t}>{t}</Code>)}</span>
                ) : r.partOf ? (
                  <span className="text-muted" title={r.partOf.digest}>
                    {r.partOf.platform ?? "platform"} of index {shortDigest(r.partOf.digest)}
                  </span>
                ) : (
                  <span className="text-muted">untagged</span>
                )}
              </Td>
              <Td className="whitespace-nowrap">{r.size}</Td>
              <Td className="whitespace-nowrap"><Time t={r.deleted} /></Td>
              <Td>{r.deletedBy}</Td>
              <Td className="whitespace-nowrap"><span title={r.expires.title}>{r.expires.text}</span></Td>
            </Tr>
          ))}
        </TBody>
      </Table>

      <Dialog open={dialog === "restore"} onClose={close} title={`Restore ${plural(chosen.length, "manifest")}?`} wide>
        <div className="space-y-3 text-sm text-muted">
          <p>Each comes back as it was, with the tags it had; an index comes back with its platform manifests.</p>
          <ul className="space-y-1">
            {chosen.map((r) => (
              <li key={r.id}>
                <Code>{label(r)}</Code> {r.tags.length ? <>with {r.tags.map((t) => <Code key={t}>{t}</Code>)}</> : null}
              </li>
            ))}
          </ul>
          {failed.length ? (
            <Alert tone="danger" title={`${plural(failed.length, "manifest")} could not be restored`}>
              <ul className="space-y-1">
                {failed.map((f) => (
                  <li key={f.repository + f.digest} className="[overflow-wrap:anywhere]">{f.message}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {moved.length ? (
            <p>
              “Restore and move the tag” points the tag back at the restored manifest; the manifest it points at now stays, untagged unless it has other tags.
              Locked and write-once tags are never moved.
            </p>
          ) : null}
          {restoreAction.formError ? <Alert tone="danger">{restoreAction.formError}</Alert> : null}
        </div>
        <DialogFooter>
          <Button variant="secondary" onClick={close}>{failed.length ? "Close" : "Cancel"}</Button>
          {moved.length ? (
            <Button onClick={() => restore(true, moved.map((m) => ({ repository: m.repository, digest: m.digest })))} pending={restoreAction.pending}>
              Restore and move the tag
            </Button>
          ) : failed.length ? null : (
            <Button onClick={() => restore(false)} pending={restoreAction.pending}>
              {restoreAction.pending ? "Restoring…" : "Restore"}
            </Button>
          )}
        </DialogFooter>
      </Dialog>

      <Dialog open={dialog === "delete"} onClose={() => setDialog(null)} title={`Delete ${plural(chosen.length, "manifest")} for good?`}>
        <div className="space-y-3 text-sm text-muted">
          <p>
            {chosen.map((r, i) => (
              <span key={r.id}>{i ? ", " : ""}<Code>{label(r)}</Code></span>
            ))}{" "}
            will be removed from the recycle bin (an index with its platform manifests) and can no longer be restored. Garbage collection then frees the
            space no other image uses. This cannot be undone.
          </p>
          {deleteAction.formError ? <Alert tone="danger">{deleteAction.formError}</Alert> : null}
        </div>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setDialog(null)}>Cancel</Button>
          <Button variant="danger" onClick={() => deleteAction.run({ registry, ids: chosen.map((r) => r.id) })} pending={deleteAction.pending}>
            {deleteAction.pending ? "Deleting…" : "Delete now"}
          </Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}
