"use client";

import { useState } from "react";
import { createCacheRuleAction, deleteCacheRuleAction } from "@/portal/actions/cache-actions";
import type { CredentialSetRow } from "@/portal/cache-overview";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { useAction } from "../use-action";
import { cacheQueryKey } from "./query-key";

const FIELDS = ["name", "sourceRepo", "targetRepo", "credentialSet", "ttlSeconds"] as const;

export function CreateCacheRuleDialog({ registry, credentialSets, onClose }: { registry: string; credentialSets: CredentialSetRow[]; onClose: () => void }) {
  const [name, setName] = useState("");
  const [sourceRepo, setSourceRepo] = useState("");
  const [targetRepo, setTargetRepo] = useState("");
  const [credentialSet, setCredentialSet] = useState("");
  const [ttlSeconds, setTtl] = useState("3600");
  const { run, pending, fieldError, formError } = useAction(createCacheRuleAction, {
    errors: "inline",
    fields: FIELDS,
    invalidate: [cacheQueryKey(registry)],
    success: (d) => `Created cache rule ${d.name}.`,
  });
  const sourceHost = sourceRepo.trim().split("/")[0]?.toLowerCase() ?? "";
  function submit(e: React.FormEvent) {
    e.preventDefault();
    run({ registry, name, sourceRepo, targetRepo, credentialSet, ttlSeconds }, onClose);
  }
  const input = (id: (typeof FIELDS)[number]) => ({ id: `rule-${id}`, "aria-invalid": !!fieldError(id) || undefined, "aria-describedby": `rule-${id}-${fieldError(id) ? "error" : "hint"}` });
  return (
    <Dialog open onClose={onClose} title="Create cache rule" description="Pulls of the target that miss are fetched from the source, stored here and served." wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field id="rule-name" label="Rule name" error={fieldError("name")} hint="5–50 letters, digits and hyphens.">
          <Input {...input("name")} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
        </Field>
        <Field id="rule-sourceRepo" label="Source (upstream repository)" error={fieldError("sourceRepo")} hint="HOST/REPO, or HOST/PREFIX/* for every repository under a prefix, e.g. docker.io/library/ubuntu.">
          <Input {...input("sourceRepo")} value={sourceRepo} onChange={(e) => setSourceRepo(e.target.value)} required spellCheck={false} className="font-mono" />
        </Field>
        <Field id="rule-targetRepo" label="Target (repository in this registry)" error={fieldError("targetRepo")} hint="REPO, or PREFIX/* when the source ends in /*. It may not cover a repository that already exists.">
          <Input {...input("targetRepo")} value={targetRepo} onChange={(e) => setTargetRepo(e.target.value)} required spellCheck={false} className="font-mono" />
        </Field>
        <Field id="rule-credentialSet" label="Credential set" error={fieldError("credentialSet")} hint="The upstream login to use. Only sets for the source's host fit; none pulls anonymously.">
          <Select {...input("credentialSet")} value={credentialSet} onChange={(e) => setCredentialSet(e.target.value)}>
            <option value="">None (anonymous)</option>
            {credentialSets.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} — {s.loginServer}
                {sourceHost && s.loginServer !== sourceHost ? " (another host)" : ""}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="rule-ttlSeconds" label="Tag TTL (seconds)" error={fieldError("ttlSeconds")} hint="How long a cached tag is served before it is compared with the upstream again. Digest pulls never need it.">
          <Input {...input("ttlSeconds")} value={ttlSeconds} onChange={(e) => setTtl(e.target.value)} inputMode="numeric" className="w-40" />
        </Field>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={pending}>{pending ? "Creating…" : "Create rule"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function DeleteCacheRuleDialog({ registry, rule, onClose }: { registry: string; rule: string; onClose: () => void }) {
  const { run, pending, formError } = useAction(deleteCacheRuleAction, { errors: "inline", invalidate: [cacheQueryKey(registry)], success: `Deleted cache rule ${rule}.` });
  return (
    <Dialog open onClose={onClose} title={`Delete cache rule ${rule}?`}>
      <p className="text-sm text-muted">Pulls that miss are no longer fetched from the upstream. What the rule has cached stays, as ordinary repositories.</p>
      {formError ? <Alert tone="danger" className="mt-3">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={pending} onClick={() => run({ registry, name: rule }, onClose)}>{pending ? "Deleting…" : "Delete rule"}</Button>
      </DialogFooter>
    </Dialog>
  );
}
