"use client";

import { useState } from "react";
import { createWebhookAction, deleteWebhookAction, updateWebhookAction } from "@/portal/actions/webhook-actions";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { useAction } from "../use-action";
import type { WebhookRow } from "./overview";
import { webhooksQueryKey } from "./query-key";

const FIELDS = ["name", "uri", "actions", "scope", "headers", "status"] as const;

/** Create (no `hook`) or edit a webhook. On create the signing secret is shown once, before the dialog closes. */
export function WebhookDialog({ registry, hook, onClose }: { registry: string; hook?: WebhookRow; onClose: () => void }) {
  const [name, setName] = useState(hook?.name ?? "");
  const [uri, setUri] = useState("");
  const [push, setPush] = useState(hook ? hook.actions.includes("push") : true);
  const [del, setDel] = useState(hook ? hook.actions.includes("delete") : false);
  const [scope, setScope] = useState(hook?.scope ?? "");
  const [headers, setHeaders] = useState("");
  const [status, setStatus] = useState(hook?.status ?? "enabled");
  const [secret, setSecret] = useState<string | null>(null);
  const options = { errors: "inline" as const, fields: FIELDS, invalidate: [webhooksQueryKey(registry)] };
  const create = useAction(createWebhookAction, { ...options, onSuccess: (d) => setSecret(d.secret) });
  const update = useAction(updateWebhookAction, { ...options, success: (d) => `Saved webhook ${d.name}.` });
  const act = hook ? update : create;
  const actions = [push ? "push" : "", del ? "delete" : ""].filter(Boolean);
  const headerLines = headers.split("\n").map((l) => l.trim()).filter(Boolean);
  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (hook) update.run({ registry, name, ...(uri.trim() ? { uri } : {}), actions, scope, ...(headers.trim() ? { headers: headerLines } : {}), status }, onClose);
    else create.run({ registry, name, uri, actions, scope, headers: headerLines, status });
  }
  if (secret) {
    return (
      <Dialog open onClose={onClose} title={`Webhook ${name} created`} description="Receivers check X-Wharf-Signature: sha256=HMAC-SHA256(body, secret), hex.">
        <Alert tone="info" title="Copy the signing secret now">It is not shown again; rotate it if it is lost.</Alert>
        <div className="mt-3 flex items-center gap-2">
          <code data-testid="webhook-secret" className="min-w-0 flex-1 rounded bg-sunken px-2 py-1 font-mono text-[13px] break-all">{secret}</code>
          <CopyButton text={secret} label="Copy secret" />
        </div>
        <DialogFooter>
          <Button onClick={onClose}>Done</Button>
        </DialogFooter>
      </Dialog>
    );
  }
  const input = (id: (typeof FIELDS)[number]) => ({ id: `webhook-${id}`, "aria-invalid": !!act.fieldError(id) || undefined, "aria-describedby": `webhook-${id}-${act.fieldError(id) ? "error" : "hint"}` });
  return (
    <Dialog open onClose={onClose} title={hook ? `Edit webhook ${hook.name}` : "Create webhook"} description="Wharf POSTs an event (ACR's JSON) to the service URI on each push or delete that matches." wide>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {hook ? null : (
          <Field id="webhook-name" label="Webhook name" error={act.fieldError("name")} hint="5–50 letters and digits.">
            <Input {...input("name")} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
          </Field>
        )}
        <Field id="webhook-uri" label="Service URI" error={act.fieldError("uri")} hint={hook ? `Now ${hook.uri}. Leave empty to keep it.` : "http:// or https://; a query string is kept but never shown again."}>
          <Input {...input("uri")} value={uri} onChange={(e) => setUri(e.target.value)} required={!hook} spellCheck={false} className="font-mono" placeholder="https://ci.example.com/hooks/wharf" />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-fg">Actions</legend>
          <div className="mt-1 flex gap-4 text-sm">
            <label className="flex items-center gap-1.5"><input type="checkbox" checked={push} onChange={(e) => setPush(e.target.checked)} /> push</label>
            <label className="flex items-center gap-1.5"><input type="checkbox" checked={del} onChange={(e) => setDel(e.target.checked)} /> delete</label>
          </div>
          {act.fieldError("actions") ? <p className="mt-1 text-[13px] text-danger" role="alert">{act.fieldError("actions")}</p> : null}
        </fieldset>
        <Field id="webhook-scope" label="Scope" error={act.fieldError("scope")} hint="repository:tag, repository:* or repository (its latest tag); empty for every repository.">
          <Input {...input("scope")} value={scope} onChange={(e) => setScope(e.target.value)} spellCheck={false} className="font-mono" />
        </Field>
        <Field id="webhook-headers" label="Custom headers" error={act.fieldError("headers")} hint={hook?.hasHeaders ? "One Name=value per line; leave empty to keep the current ones." : "One Name=value per line, e.g. Authorization=Bearer abc."}>
          <textarea {...input("headers")} value={headers} onChange={(e) => setHeaders(e.target.value)} rows={2} spellCheck={false} className="w-full rounded-md border border-line bg-surface px-3 py-2 font-mono text-[13px]" />
        </Field>
        <Field id="webhook-status" label="Status" error={act.fieldError("status")} hint="A disabled webhook queues no events.">
          <Select {...input("status")} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
          </Select>
        </Field>
        {act.formError ? <Alert tone="danger">{act.formError}</Alert> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" pending={act.pending}>{hook ? (act.pending ? "Saving…" : "Save") : act.pending ? "Creating…" : "Create webhook"}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function DeleteWebhookDialog({ registry, name, onClose }: { registry: string; name: string; onClose: () => void }) {
  const { run, pending, formError } = useAction(deleteWebhookAction, { errors: "inline", invalidate: [webhooksQueryKey(registry)], success: `Deleted webhook ${name}.` });
  return (
    <Dialog open onClose={onClose} title={`Delete webhook ${name}?`}>
      <p className="text-sm text-muted">No more events are sent to it; its delivery log and any pending deliveries are deleted with it.</p>
      {formError ? <Alert tone="danger" className="mt-3">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={pending} onClick={() => run({ registry, name }, onClose)}>{pending ? "Deleting…" : "Delete webhook"}</Button>
      </DialogFooter>
    </Dialog>
  );
}
