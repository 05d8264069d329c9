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
import { useAction } from "@/components/use-action";

type Initial = { name: string; description: string; actions: string[]; builtIn: boolean; tokens: string[] };

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
  function save(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    if (gridProblems(rules).size || !rules.length) return;
    if (isNew) create.run({ registry, name, description, rules }, (d) => router.push(`${base}/${encodeURIComponent(d.name)}`));
    else update.run({ registry, name, description, rules });
  }
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
            onClick={() => {
              if (window.confirm(`Delete scope map ${initial.name}?`)) del.run({ registry, name: initial.name }, () => router.push(base));
            }}
          >
            Delete scope map
          </Button>
        ) : null}
      </div>
      <Card>
        <CardHeader title="Details" />
        <CardBody className="grid gap-4 md:grid-cols-2">
          {isNew ? (
            <Field id="map-name" label="Name" hint="5–50 letters, digits, '-' or '_'." error={a.fieldError("name")}>
              <Input id="map-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!a.fieldError("name") || undefined} />
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
        </CardBody>
      </Card>
      {a.formError ? <Alert tone="danger">{a.formError}</Alert> : null}
      {canEdit ? (
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => router.push(base)}>Cancel</Button>
          <Button type="submit" pending={a.pending}>{a.pending ? "Saving…" : isNew ? "Create scope map" : "Save changes"}</Button>
        </div>
      ) : null}
    </form>
  );
}
