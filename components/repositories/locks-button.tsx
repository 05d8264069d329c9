"use client";

import { useState } from "react";
import type { LockFlags } from "@wharf/lib/services/locks";
import { setLocksAction } from "@/portal/actions/repository-actions";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { useAction } from "../use-action";

const FIELDS: { key: keyof LockFlags; label: string; help: string }[] = [
  { key: "writeEnabled", label: "Write", help: "Pushes that change it are refused (and, as an immutable image, it cannot be deleted)." },
  { key: "deleteEnabled", label: "Delete", help: "It cannot be deleted." },
  { key: "readEnabled", label: "Read", help: "It cannot be pulled." },
  { key: "listEnabled", label: "List", help: "It is hidden from tag lists and the catalog; it can still be pulled." },
];

/** Lock or unlock write, delete, read and list on a repository, a tag or a manifest. */
export function LocksButton({ registry, repository, tag, digest, locks, compact }: { registry: string; repository: string; tag?: string; digest?: string; locks: LockFlags; compact?: boolean }) {
  const [open, setOpen] = useState(false);
  const [locked, setLocked] = useState<Record<keyof LockFlags, boolean>>(() => invert(locks));
  const { run, pending, formError, reset } = useAction(setLocksAction, { errors: "inline", success: "Locks saved." });
  const target = tag ? `tag ${tag}` : digest ? "this manifest" : `repository ${repository}`;
  const count = Object.values(invert(locks)).filter(Boolean).length;
  function save() {
    const change: Partial<LockFlags> = {};
    for (const f of FIELDS) if (locked[f.key] !== !locks[f.key]) change[f.key] = !locked[f.key];
    if (!Object.keys(change).length) return setOpen(false);
    run({ registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), locks: change }, () => setOpen(false));
  }
  return (
    <>
      <Button
        variant={compact ? "ghost" : "secondary"}
        size="sm"
        aria-label={`Locks of ${target}`}
        onClick={() => {
          setLocked(invert(locks));
          reset();
          setOpen(true);
        }}
      >
        <PadlockIcon open={count === 0} />
        {compact ? (count ? `${count}` : "") : count ? `Locked (${count})` : "Locks"}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Locks of ${target}`} description="A lock refuses the operation for everyone, through docker, skopeo and the portal, until it is lifted.">
        <fieldset className="space-y-2">
          <legend className="sr-only">Locked operations</legend>
          {FIELDS.map((f) => (
            <label key={f.key} className="flex cursor-pointer items-start gap-3 rounded-md border border-line px-3 py-2.5 hover:bg-hover/60">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-[var(--wh-accent)]"
                checked={locked[f.key]}
                onChange={(e) => setLocked((s) => ({ ...s, [f.key]: e.target.checked }))}
                aria-label={`Lock ${f.label.toLowerCase()}`}
              />
              <span>
                <span className="block text-sm font-medium text-fg">Lock {f.label.toLowerCase()}</span>
                <span className="block text-[13px] text-muted">{f.help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {formError ? <Alert tone="danger" className="mt-3">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
          <Button onClick={save} pending={pending}>{pending ? "Saving…" : "Save locks"}</Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}

function invert(l: LockFlags): Record<keyof LockFlags, boolean> {
  return { writeEnabled: !l.writeEnabled, deleteEnabled: !l.deleteEnabled, readEnabled: !l.readEnabled, listEnabled: !l.listEnabled };
}

function PadlockIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden="true">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d={open ? "M8 11V7a4 4 0 0 1 7.5-2" : "M8 11V7a4 4 0 0 1 8 0v4"} />
    </svg>
  );
}
