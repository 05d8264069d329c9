import type { Actor } from "@wharf/lib/auth/actor";
import { listWebhookEvents, type WebhookDeliveryView } from "@wharf/lib/services/webhook-deliveries";
import { listWebhooks } from "@wharf/lib/services/webhooks";

/** What the Webhooks tab shows, as plain JSON for the browser: display URIs only, never a secret or custom header value. */

export type AttemptRow = Omit<WebhookDeliveryView["log"][number], "at"> & { at: string };
export type DeliveryRow = Omit<WebhookDeliveryView, "createdAt" | "nextAttemptAt" | "finishedAt" | "log"> & { createdAt: string; nextAttemptAt: string | null; finishedAt: string | null; log: AttemptRow[] };
export type WebhookRow = { name: string; uri: string; actions: string[]; scope: string; status: string; hasHeaders: boolean; deliveries: DeliveryRow[] };
export type WebhooksOverview = { webhooks: WebhookRow[]; loadedAt: string };

/** Deliveries shown per webhook; older ones are in `wharf webhook list-events --top`. */
const SHOWN_DELIVERIES = 20;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadWebhooksOverview(actor: Actor, registry: string): Promise<WebhooksOverview> {
  const hooks = await listWebhooks(actor, { registry });
  const deliveries = await Promise.all(hooks.map((h) => listWebhookEvents(actor, { registry, name: h.name, top: SHOWN_DELIVERIES })));
  return {
    loadedAt: new Date().toISOString(),
    webhooks: hooks.map((h, i) => ({
      name: h.name,
      uri: h.uri,
      actions: h.actions,
      scope: h.scope,
      status: h.status,
      hasHeaders: h.hasHeaders,
      deliveries: deliveries[i].map((d) => ({
        ...d,
        createdAt: d.createdAt.toISOString(),
        nextAttemptAt: iso(d.nextAttemptAt),
        finishedAt: iso(d.finishedAt),
        log: d.log.map((a) => ({ ...a, at: a.at.toISOString() })),
      })),
    })),
  };
}
