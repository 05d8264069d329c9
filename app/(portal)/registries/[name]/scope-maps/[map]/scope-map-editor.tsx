"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createScopeMapAction, deleteScopeMapAction, updateScopeMapAction } from "@/portal/actions/scope-map-actions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ScopeGrid, gridProblems, rulesFromActions, type GridRule } from "@/components/access/scope-grid";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";

type Initial = { name: string; description: string; actions: string[]; builtIn: boolean; tokens: string[] };

function scopeMapNameProblem(name: string): string | null {
  const n = name.trim();
  if (!/^[A-Za-z0-9_-]{5,50}$/.test(n)) return "Scope map names are 5–50 characters: letters, digits, '-' or '_'.";
  return n.startsWith("_") ? "Names starting with '_' are reserved for built-in scope maps." : null;
}

export function ScopeMapEditor({ registry, initial, isNew, canEdit }: { registry: string; initial: Initial; isNew?: boolean; canEdit: boolean }) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [rules, setRules] = useState<GridRule[]>(() => (isNew ? [{ repository: "", actions: ["content/read", "metadata/read"] }] : rulesFromActions(initial.actions)));
  const [tried, setTried] = useState(false);
  // Create and delete move to another page, so they need no refresh of this one.
  const create = useAction(createScopeMapAction, { refresh: false, errors: "inline", fields: ["name"], success: (d) => `Scope map ${d.name} created.` });
  const update = useAction(updateScopeMapAction, { errors: "inline", success: "Saved. Tokens using this scope map get the new actions on their next login." });
  const del = useAction(deleteScopeMapAction, { refresh: false, success: (_d, i) => `Deleted scope map ${i.name}.` });
  const a = isNew ? create : update;
  const base = `/registries/${registry}/scope-maps`;
  // The whole form is checked at once, so every mistake shows beside its field on the first try.
  const nameProblem = isNew ? scopeMapNameProblem(name) : null;
  const noRules = rules.length === 0 ? "Add at least one repository." : null;
  function save(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    if (nameProblem || noRules || gridProblems(rules).size) return;
    const kept = rules.filter((r) => r.repository.trim());
    if (isNew) create.run({ registry, name, description, rules: kept }, (d) => router.push(`${base}/${encodeURIComponent(d.name)}`));
    else update.run({ registry, name, description, rules: kept });
  }
  const confirm = useConfirm();
  const readOnly = !canEdit;
  return (
    <form onSubmit={save} noValidate className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-[13px] text-muted"><Link href={base} className="hover:text-fg">Scope maps</Link> /</p>
          <h2 className="flex items-center gap-2 text-xl font-semibold tracking-tight text-fg">
            {isNew ? "New scope map" : <span className="font-mono">{initial.name}</span>}
            {initial.builtIn ? <Badge>Built-in, read-only</Badge> : null}
          </h2>
        </div>
        {canEdit && !isNew ? (
          <Button
            variant="secondary"
            className="text-danger!"
            pending={del.pending}
            onClick={() =>
              confirm.ask({
                title: `Delete scope map ${initial.name}?`,
                body: `The repositories and actions it lists are gone from ${registry}. A scope map still used by a token cannot be deleted; this one is used by ${initial.tokens.length ? initial.tokens.join(", ") : "no token"}.`,
                confirmLabel: "Delete scope map",
                onConfirm: () => del.run({ registry, name: initial.name }, () => router.push(base)),
              })
            }
          >
            Delete scope map
          </Button>
        ) : null}
      </div>
      <Card>
        <CardHeader title="Details" />
        <CardBody className="grid gap-4 md:grid-cols-2">
          {isNew ? (
            <Field id="map-name" label="Name" hint="5–50 letters, digits, '-' or '_'." error={(tried && nameProblem) || a.fieldError("name")}>
              <Input id="map-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!((tried && nameProblem) || a.fieldError("name")) || undefined} />
            </Field>
          ) : null}
          <Field id="map-description" label="Description" hint="Optional.">
            <Input id="map-description" value={description} onChange={(e) => setDescription(e.target.value)} disabled={readOnly} />
          </Field>
          {!isNew ? (
            <div className="text-sm">
              <p className="font-medium text-fg">Used by</p>
              <p className="mt-1.5 text-muted">
                {initial.tokens.length ? initial.tokens.map((t) => <Badge key={t} className="mr-1">{t}</Badge>) : "No tokens use this scope map."}
              </p>
            </div>
          ) : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Repositories and actions" description="An exact repository name, a prefix such as team/* (every repository under team/), or * for all." />
        <CardBody>
          <ScopeGrid registry={registry} rules={rules} onChange={setRules} readOnly={readOnly} showErrors={tried} />
          {tried && noRules ? <p className="mt-2 text-[13px] text-danger">{noRules}</p> : null}
        </CardBody>
      </Card>
      {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
      {confirm.dialog}
      {canEdit ? (
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => router.push(base)}>Cancel</Button>
          <Button type="submit" pending={a.pending}>{a.pending ? "Saving…" : isNew ? "Create scope map" : "Save changes"}</Button>
        </div>
      ) : null}
    </form>
  );
}
