import crypto from "node:crypto";
import { db } from "../core/db";
import { invalid, notFound } from "../core/errors";
import { actorName, type Actor } from "../auth/actor";
import { hookPayload } from "../registry/events";
import { recordActivity } from "./activity";
import { deliverHere, pokeWebhookWorker } from "./webhook-worker";
import { findWebhook, webhookRegistry } from "./webhooks";

/** A webhook's delivery log (az acr webhook list-events), ping and redelivery: all through the one outbox. */

export type WebhookAttemptView = {
  at: Date;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
};

export type WebhookDeliveryView = {
  id: string;
  eventId: string;
  action: string;
  status: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
  redeliveryOf: string | null;
  payload: unknown;
  log: WebhookAttemptView[];
};

type DeliveryRow = {
  id: string;
  eventId: string;
  action: string;
  status: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  finishedAt: Date | null;
  redeliveryOf: string | null;
  payload: string;
  log: { at: Date; requestHeaders: string; responseStatus: number | null; responseHeaders: string | null; responseBody: string | null; error: string | null; durationMs: number }[];
};

function deliveryView(d: DeliveryRow): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    action: d.action,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
    finishedAt: d.finishedAt,
    redeliveryOf: d.redeliveryOf,
    payload: JSON.parse(d.payload),
    log: d.log.map((a) => ({
      at: a.at,
      requestHeaders: JSON.parse(a.requestHeaders) as Record<string, string>,
      responseStatus: a.responseStatus,
      responseHeaders: a.responseHeaders ? (JSON.parse(a.responseHeaders) as Record<string, string>) : null,
      responseBody: a.responseBody,
      error: a.error,
      durationMs: a.durationMs,
    })),
  };
}

const LOG = { log: { orderBy: { at: "asc" as const } } };

/** The newest deliveries first, each with every attempt's request and response. */
export async function listWebhookEvents(actor: Actor, input: { registry: string; name: string; top?: number | string }): Promise<WebhookDeliveryView[]> {
  const reg = await webhookRegistry(actor, input?.registry, "read");
  const hook = await findWebhook(reg, input.name);
  const top = input.top === undefined ? 50 : Number(input.top);
  if (!Number.isInteger(top) || top < 1 || top > 500) throw invalid(`--top is a whole number from 1 to 500; got '${String(input.top)}'.`, "top");
  const rows = await db().webhookDelivery.findMany({ where: { webhookId: hook.id }, orderBy: { createdAt: "desc" }, take: top, include: LOG });
  return rows.map(deliveryView);
}

async function sendAndShow(id: string, wait: boolean): Promise<WebhookDeliveryView> {
  // Tried here at once (the CLI has no worker; on a server it saves a poll); the worker retries it if this fails.
  if (!wait) pokeWebhookWorker();
  else if (!(await deliverHere(id))) {
    // Another node claimed it first: wait (briefly) for its first attempt to be logged.
    for (let i = 0; i < 30; i++) {
      const d = await db().webhookDelivery.findUnique({ where: { id }, select: { attempts: true } });
      if (!d || d.attempts > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id }, include: LOG });
  return deliveryView(row);
}

/** ACR's ping: a `ping` event through the outbox, tried at once; the answer is the delivery with its first attempt. */
export async function pingWebhook(actor: Actor, input: { registry: string; name: string; wait?: boolean }): Promise<WebhookDeliveryView> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const hook = await findWebhook(reg, input.name);
  const eventId = crypto.randomUUID();
  const at = new Date();
  const payload = JSON.stringify(hookPayload(eventId, at, "ping", { repository: "" }));
  const row = await db().$transaction(async (tx) => {
    const d = await tx.webhookDelivery.create({ data: { webhookId: hook.id, eventId, action: "ping", payload, nextAttemptAt: at } });
    await recordActivity(tx, { actor: actorName(actor), action: "webhook.ping", target: hook.name, registryId: reg.id });
    return d;
  });
  return sendAndShow(row.id, input.wait !== false);
}

/** Sends a delivery's payload again as a new delivery (its own log and retries), whatever became of the first. */
export async function redeliverWebhookEvent(actor: Actor, input: { registry: string; name?: string; delivery: string; wait?: boolean }): Promise<WebhookDeliveryView> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const id = String(input.delivery ?? "").trim();
  const original = /^[0-9a-f-]{36}$/i.test(id) ? await db().webhookDelivery.findUnique({ where: { id }, include: { webhook: { select: { registryId: true, name: true } } } }) : null;
  if (!original || original.webhook.registryId !== reg.id || (input.name && original.webhook.name !== input.name)) {
    throw notFound(`Registry ${reg.name} has no webhook delivery '${id}'. Find its id with \`wharf webhook list-events --registry ${reg.name} --name <webhook>\`.`, "delivery");
  }
  const row = await db().$transaction(async (tx) => {
    const d = await tx.webhookDelivery.create({ data: { webhookId: original.webhookId, eventId: original.eventId, action: original.action, payload: original.payload, redeliveryOf: original.id, nextAttemptAt: new Date() } });
    await recordActivity(tx, { actor: actorName(actor), action: "webhook.redeliver", target: original.webhook.name, registryId: reg.id, after: { delivery: original.id, redelivery: d.id } });
    return d;
  });
  return sendAndShow(row.id, input.wait !== false);
}
