"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { pingWebhookAction, updateWebhookAction, webhooksOverviewAction } from "@/portal/actions/webhook-actions";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { formatDateTime } from "../ui/format";
import { PlusIcon } from "../ui/icons";
import { useAction } from "../use-action";
import { GuardedButton } from "../cache/guarded-button";
import { DeliveryLog } from "./delivery-log";
import type { WebhookRow, WebhooksOverview } from "./overview";
import { webhooksQueryKey } from "./query-key";
import { DeleteWebhookDialog, WebhookDialog } from "./webhook-dialogs";

/** Deliveries are retried in the background: polling at this pace shows them land without a reload. */
const POLL_MS = 5_000;

/**
 * The registry's Webhooks tab: each webhook with Ping, Enable/Disable, Edit, Delete and its delivery log. `cannotChange`
 * is why the caller may not change them (null when they may): buttons are then disabled and say why.
 */
export function WebhooksTab({ registry, initial, cannotChange }: { registry: string; initial: WebhooksOverview; cannotChange: string | null }) {
  const overview = useQuery({
    queryKey: webhooksQueryKey(registry),
    initialData: initial,
    queryFn: async () => {
      const r = await webhooksOverviewAction({ registry });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<WebhookRow | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const data = overview.data;
  const createButton = (
    <GuardedButton cannot={cannotChange} onClick={() => setCreating(true)}>
      <PlusIcon className="-ml-0.5 size-4" />
      Create webhook
    </GuardedButton>
  );
  return (
    <div className="space-y-6">
      {overview.isError ? (
        <Alert tone="danger" title="The webhooks could not be refreshed">
          {overview.error.message} Showing what was loaded at {formatDateTime(data.loadedAt)}; the page keeps trying every few seconds.
        </Alert>
      ) : null}
      <Card className="overflow-hidden" aria-labelledby="webhooks-title">
        <CardHeader
          title={<span id="webhooks-title">Webhooks</span>}
          description="Each webhook POSTs a signed event to its URI when an image is pushed or deleted. Failed deliveries are retried with backoff, then kept as dead letters you can redeliver."
          actions={data.webhooks.length ? createButton : null}
        />
        {data.webhooks.length === 0 ? (
          <EmptyState title="No webhooks yet" action={createButton}>
            <p>A webhook tells another service — CI, a deployment tool, a chat channel — about pushes and deletes in this registry, as Azure Container Registry does.</p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {data.webhooks.map((h) => (
              <WebhookItem key={h.name} registry={registry} hook={h} cannotChange={cannotChange} onEdit={() => setEditing(h)} onDelete={() => setDeleting(h.name)} />
            ))}
          </ul>
        )}
      </Card>
      {creating ? <WebhookDialog registry={registry} onClose={() => setCreating(false)} /> : null}
      {editing ? <WebhookDialog registry={registry} hook={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? <DeleteWebhookDialog registry={registry} name={deleting} onClose={() => setDeleting(null)} /> : null}
    </div>
  );
}

function WebhookItem({ registry, hook, cannotChange, onEdit, onDelete }: { registry: string; hook: WebhookRow; cannotChange: string | null; onEdit: () => void; onDelete: () => void }) {
  const invalidate = [webhooksQueryKey(registry)];
  const ping = useAction(pingWebhookAction, {
    invalidate,
    success: (d) => (d.status === "delivered" ? `Ping delivered (HTTP ${d.responseStatus}).` : `Ping not delivered: ${d.responseStatus ? `HTTP ${d.responseStatus}` : (d.error ?? "no answer")}; it will be retried.`),
  });
  const toggle = useAction(updateWebhookAction, { invalidate, success: (d) => `Webhook ${d.name} ${d.status}.` });
  const enabled = hook.status === "enabled";
  return (
    <li data-webhook={hook.name} aria-label={`Webhook ${hook.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 px-5 py-4">
        <div className="min-w-0 space-y-1">
          <h3 className="flex items-center gap-2 text-sm font-semibold text-fg">
            {hook.name} <Badge tone={enabled ? "success" : "neutral"}>{hook.status}</Badge>
          </h3>
          <p className="font-mono text-[13px] break-all text-muted">{hook.uri}</p>
          <p className="text-[13px] text-muted">
            Actions: <span className="text-fg">{hook.actions.join(", ")}</span> · Scope: <span className="font-mono text-fg">{hook.scope || "every repository"}</span>
            {hook.hasHeaders ? " · custom headers" : ""}
          </p>
        </div>
        <div className="flex flex-wrap gap-1">
          <GuardedButton size="sm" variant="secondary" cannot={cannotChange} pending={ping.pending} onClick={() => ping.run({ registry, name: hook.name })}>Ping</GuardedButton>
          <GuardedButton size="sm" variant="ghost" cannot={cannotChange} pending={toggle.pending} onClick={() => toggle.run({ registry, name: hook.name, status: enabled ? "disabled" : "enabled" })}>
            {enabled ? "Disable" : "Enable"}
          </GuardedButton>
          <GuardedButton size="sm" variant="ghost" cannot={cannotChange} onClick={onEdit}>Edit</GuardedButton>
          <GuardedButton size="sm" variant="ghost" className="text-danger! hover:bg-danger-soft!" cannot={cannotChange} onClick={onDelete} aria-label={`Delete webhook ${hook.name}`}>
            Delete
          </GuardedButton>
        </div>
      </div>
      <DeliveryLog registry={registry} hook={hook.name} deliveries={hook.deliveries} cannotChange={cannotChange} />
    </li>
  );
}
