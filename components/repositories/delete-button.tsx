"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteManifestAction, deleteTagAction } from "@/portal/actions/repository-actions";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Code } from "../ui/code";
import { useAction } from "../use-action";

type Props =
  | { kind: "tag"; registry: string; repository: string; tag: string; redirectTo?: string; compact?: boolean }
  | { kind: "manifest"; registry: string; repository: string; digest: string; tags: string[]; redirectTo?: string; compact?: boolean };

/** Delete a tag or a manifest, after a confirmation that says exactly what goes. */
export function DeleteButton(props: Props) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  // After deleting what the page shows, go elsewhere rather than refresh a page that no longer exists.
  const options = { errors: "inline", refresh: !props.redirectTo } as const;
  const tagAction = useAction(deleteTagAction, { ...options, success: (_d, i) => `Deleted tag ${i.tag}.` });
  const manifestAction = useAction(deleteManifestAction, { ...options, success: "Deleted the manifest." });
  const a = props.kind === "tag" ? tagAction : manifestAction;
  const what = props.kind === "tag" ? `tag ${props.tag}` : "manifest";
  const done = () => {
    setOpen(false);
    if (props.redirectTo) router.push(props.redirectTo);
  };
  function confirm() {
    if (props.kind === "tag") tagAction.run({ registry: props.registry, repository: props.repository, tag: props.tag }, done);
    else manifestAction.run({ registry: props.registry, repository: props.repository, digest: props.digest }, done);
  }
  return (
    <>
      <Button
        variant={props.compact ? "ghost" : "secondary"}
        size="sm"
        onClick={() => {
          a.reset();
          setOpen(true);
        }}
        aria-label={props.kind === "tag" ? `Delete tag ${props.tag}` : "Delete manifest"}
        className={props.compact ? "text-danger! hover:bg-danger-soft!" : "text-danger!"}
      >
        Delete{props.compact ? "" : ` ${props.kind}`}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${what}?`}>
        <div className="space-y-3 text-sm text-muted">
          {props.kind === "tag" ? (
            <p>
              <Code>{props.repository}:{props.tag}</Code> will no longer resolve. The manifest it points at stays and can still be pulled by digest.
            </p>
          ) : (
            <>
              <p>
                The manifest <Code>{props.digest.slice(0, 19)}…</Code> of <Code>{props.repository}</Code> will be deleted
                {props.tags.length ? <> together with its tags {props.tags.map((t) => <Code key={t}>{t}</Code>).reduce<React.ReactNode[]>((acc, el, i) => (i ? [...acc, ", ", el] : [el]), [])}</> : null}.
              </p>
              <p>Clients pulling it by tag or digest will get “manifest unknown”. This cannot be undone.</p>
            </>
          )}
          {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
        </div>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="danger" onClick={confirm} pending={a.pending}>
            {a.pending ? "Deleting…" : `Delete ${props.kind}`}
          </Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}

/**
 * Delete where it would be refused (a lock, a write-once rule): shown disabled with
 * the reason as its tooltip and in its accessible name, instead of failing after the click.
 */
export function DeleteUnavailable({ what, reason, compact }: { what: string; reason: string; compact?: boolean }) {
  return (
    <span title={reason} className="inline-flex" data-delete-blocked="">
      <Button variant={compact ? "ghost" : "secondary"} size="sm" disabled aria-label={`Delete ${what}: unavailable. ${reason}`}>
        Delete{compact ? "" : ` ${what.split(" ")[0]}`}
      </Button>
    </span>
  );
}
