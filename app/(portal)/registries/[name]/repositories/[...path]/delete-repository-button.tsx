"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Code } from "@/components/ui/code";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { TypedNameField } from "@/components/ui/typed-name-field";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { deleteRepositoryAction } from "@/portal/actions/repository-delete-action";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** "Delete repository": a dialog that says what goes, and asks for the repository's name typed out. */
export function DeleteRepositoryButton(props: { registry: string; repository: string; tagCount: number; manifestCount: number; frees: string; cannotDelete: string | null }) {
  const { registry, repository, tagCount, manifestCount, frees, cannotDelete } = props;
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const a = useAction(deleteRepositoryAction, {
    errors: "inline",
    fields: ["confirmName"],
    // The page is gone: go to the list (which the action revalidated) instead of refreshing this one.
    refresh: false,
    success: (d) => `Deleted repository ${d.repository} (${plural(d.tags, "tag", "tags")}, ${plural(d.manifests, "manifest", "manifests")}). Garbage collection frees its storage.`,
    onSuccess: () => router.push(`/registries/${registry}/repositories`),
  });
  const matches = typed.trim() === repository;
  return (
    <>
      <DisabledReason reason={cannotDelete}>
        <Button
          variant="secondary"
          size="sm"
          className="text-danger!"
          disabled={!!cannotDelete}
          onClick={() => {
            setTyped("");
            a.reset();
            setOpen(true);
          }}
        >
          Delete repository
        </Button>
      </DisabledReason>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete repository ${repository}?`}>
        <form
          className="space-y-3 text-sm text-muted"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) a.run({ registry, repository, confirmName: typed });
          }}
        >
          <p>
            <Code>{registry}/{repository}</Code> goes with its {plural(tagCount, "tag", "tags")} and {plural(manifestCount, "manifest", "manifests")}. Clients pulling
            from it get “name unknown”. The recycle bin does not keep deleted repositories: this cannot be undone.
          </p>
          <p>Garbage collection then frees what no other repository holds ({frees} now). A lock or a write-once tag rule anywhere in it refuses the delete.</p>
          <TypedNameField id="confirm-repository" name={repository} value={typed} error={a.fieldError("confirmName")} onChange={(v) => (setTyped(v), a.reset())} />
          {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
          <DialogFooter>
            <Button variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="danger" disabled={!matches} pending={a.pending || a.succeeded}>
              Delete repository
            </Button>
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
