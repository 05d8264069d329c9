"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { ImportView } from "@wharf/lib/services/import";
import { startImportAction } from "@/portal/actions/import-actions";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { DisabledReason } from "../ui/tooltip";
import { useAction } from "../use-action";
import { defaultTarget } from "./default-target";
import { ImportProgress, importEnded } from "./import-progress";

const owns = (f: string) => f === "source" || f === "username" || f === "password" || f.startsWith("image");

function Check({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-md border border-line px-3 py-2.5 hover:bg-hover/60">
      <input type="checkbox" className="mt-0.5 size-4 accent-[var(--wh-accent)]" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-labelledby={id} aria-describedby={`${id}-desc`} />
      <span>
        <span id={id} className="block text-sm font-medium text-fg">{label}</span>
        <span id={`${id}-desc`} className="block text-[13px] text-muted">{hint}</span>
      </span>
    </label>
  );
}

/**
 * `az acr import` in the portal: the server pulls the source image (any platform, whole indexes, artifacts) into
 * target tags of this registry, as a job; the dialog then follows the job with a live progress bar. Closing the
 * dialog does not stop the import, and reopening it shows the same job until "Import another".
 */
export function ImportButton({ registry, cannotImport }: { registry: string; cannotImport: string | null }) {
  const id = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState("");
  const [images, setImages] = useState("");
  const [imagesEdited, setImagesEdited] = useState(false);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [includeReferrers, setIncludeReferrers] = useState(false);
  const [force, setForce] = useState(false);
  const [job, setJob] = useState<ImportView | null>(null);
  const [ended, setEnded] = useState(false);
  const statusRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);
  const sourceRef = useRef<HTMLInputElement>(null);
  const start = useAction(startImportAction, { errors: "inline", fields: owns, refresh: false });
  const targets = imagesEdited ? images : defaultTarget(source);

  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    start.reset();
  };
  function submit(e: React.FormEvent) {
    e.preventDefault();
    start.run(
      { registry, source, images: targets, username: username || undefined, password: password || undefined, includeReferrers, force },
      (j) => {
        setJob(j);
        setEnded(importEnded(j));
        setPassword("");
      },
    );
  }
  function another() {
    setJob(null);
    setEnded(false);
    start.reset();
  }
  // Focus follows the dialog's content: the source on opening (showModal would pick the Close button), the
  // progress heading once the job starts, "Done" once it ends. Dialog's own effect (showModal) has run by now.
  useEffect(() => {
    if (!open) return;
    if (!job) sourceRef.current?.focus();
    else if (!ended) statusRef.current?.focus();
    else doneRef.current?.focus();
  }, [open, job, ended]);
  const onEnd = useCallback(() => {
    setEnded(true);
    router.refresh();
  }, [router]);

  const imagesError = start.fieldError("images") ?? start.fieldError("image");
  return (
    <>
      <DisabledReason reason={cannotImport}>
        <Button variant="secondary" size="sm" disabled={!!cannotImport} onClick={() => setOpen(true)}>
          Import…
        </Button>
      </DisabledReason>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        wide
        title="Import an image"
        description="As az acr import: Wharf's server pulls the image from another registry (every platform of an index, OCI artifacts too) and tags it here, keeping its digest."
      >
        {job ? (
          <div className="space-y-4">
            <h3 ref={statusRef} tabIndex={-1} className="text-sm font-semibold text-fg focus-visible:outline-none">
              Import to {job.targets.join(", ") || "this registry (by digest)"}
            </h3>
            <ImportProgress key={job.id} job={job} onEnd={onEnd} />
            <DialogFooter>
              {ended ? (
                <Button variant="secondary" onClick={another}>
                  Import another
                </Button>
              ) : null}
              <Button ref={doneRef} variant={ended ? "primary" : "secondary"} onClick={() => setOpen(false)}>
                {ended ? "Done" : "Close (keeps importing)"}
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-4">
            <Field id={`${id}-source`} label="Source image" hint="HOST/REPOSITORY:TAG or HOST/REPOSITORY@sha256:…, e.g. docker.io/library/alpine:3.20" error={start.fieldError("source")}>
              <Input
                id={`${id}-source`}
                ref={sourceRef}
                value={source}
                onChange={(e) => edit(setSource)(e.target.value)}
                required
                spellCheck={false}
                autoComplete="off"
                placeholder="docker.io/library/alpine:3.20"
                aria-invalid={!!start.fieldError("source") || undefined}
              />
            </Field>
            <Field id={`${id}-images`} label="Target image(s)" hint="REPOSITORY:TAG in this registry; several separated by spaces. Defaults to the source's repository and tag." error={imagesError}>
              <Input
                id={`${id}-images`}
                value={targets}
                onChange={(e) => {
                  setImagesEdited(true);
                  edit(setImages)(e.target.value);
                }}
                spellCheck={false}
                autoComplete="off"
                placeholder="team/app:v1"
                aria-invalid={!!imagesError || undefined}
              />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id={`${id}-username`} label="Username (optional)" hint="For a private source; leave both empty for anonymous." error={start.fieldError("username")}>
                <Input id={`${id}-username`} value={username} onChange={(e) => edit(setUsername)(e.target.value)} autoComplete="off" aria-invalid={!!start.fieldError("username") || undefined} />
              </Field>
              <Field id={`${id}-password`} label="Password or token (optional)" hint="Kept encrypted at rest and never shown again." error={start.fieldError("password")}>
                <Input id={`${id}-password`} type="password" value={password} onChange={(e) => edit(setPassword)(e.target.value)} autoComplete="new-password" aria-invalid={!!start.fieldError("password") || undefined} />
              </Field>
            </div>
            <Check id={`${id}-referrers`} label="Include referrers" hint="Also import signatures, SBOMs and other artifacts that refer to the image." checked={includeReferrers} onChange={edit(setIncludeReferrers)} />
            <Check id={`${id}-force`} label="Overwrite existing tags" hint="Move target tags that already exist (never locked or write-once ones)." checked={force} onChange={edit(setForce)} />
            {start.formError ? <Alert tone="danger">{start.formError}</Alert> : null}
            <DialogFooter>
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" pending={start.pending}>
                {start.pending ? "Checking the source…" : "Import"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </Dialog>
    </>
  );
}
