import crypto from "node:crypto";
import { db, type Tx } from "../core/db";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { openSecret, sealSecret } from "../core/secrets";
import { skuLimits } from "../core/skus";
import { serializeKey } from "../registry/row-locks";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { recordActivity } from "./activity";
import { loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";
import { checkWebhookActions, checkWebhookHeaders, checkWebhookName, checkWebhookScope, checkWebhookStatus, checkWebhookUri } from "./webhook-rules";

/**
 * Webhooks (az acr webhook): each tells a URL about pushes and deletes in a registry. Reader may list and show them;
 * changing them or reading their configuration (URI with its query, custom headers) takes "change policies", as
 * both may hold credentials. The signing secret is shown once, at create and at rotation.
 */

export type WebhookView = {
  name: string;
  uri: string;
  actions: string[];
  scope: string;
  status: string;
  hasHeaders: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastDelivery: { status: string; at: Date } | null;
};

type Row = { id: string; name: string; uriDisplay: string; actions: string; scope: string; status: string; headersSealed: string | null; createdAt: Date; updatedAt: Date };

function view(r: Row, last: { status: string; createdAt: Date } | null = null): WebhookView {
  return {
    name: r.name,
    uri: r.uriDisplay,
    actions: r.actions.split(",").filter(Boolean),
    scope: r.scope,
    status: r.status,
    hasHeaders: !!r.headersSealed,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lastDelivery: last ? { status: last.status, at: last.createdAt } : null,
  };
}

export async function findWebhook(reg: LoadedRegistry, name: unknown, client: Tx = db()) {
  const n = String(name ?? "").trim();
  const row = await client.webhook.findUnique({ where: { registryId_name: { registryId: reg.id, name: n } } });
  if (!row) throw notFound(`Registry ${reg.name} has no webhook '${n}'. List them with \`wharf webhook list --registry ${reg.name}\`.`, "name");
  return row;
}

/** Loads the registry and checks the actor may do `op` there (authorisation before any validation). */
export async function webhookRegistry(actor: Actor, registry: unknown, op: "read" | "changePolicies"): Promise<LoadedRegistry> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, op, registryScope(reg));
  return reg;
}

export async function listWebhooks(actor: Actor, input: { registry: string }): Promise<WebhookView[]> {
  const reg = await webhookRegistry(actor, input?.registry, "read");
  const rows = await db().webhook.findMany({ where: { registryId: reg.id }, orderBy: { name: "asc" } });
  const lasts = await Promise.all(rows.map((r) => db().webhookDelivery.findFirst({ where: { webhookId: r.id }, orderBy: { createdAt: "desc" }, select: { status: true, createdAt: true } })));
  return rows.map((r, i) => view(r, lasts[i]));
}

export async function showWebhook(actor: Actor, input: { registry: string; name: string }): Promise<WebhookView> {
  const reg = await webhookRegistry(actor, input?.registry, "read");
  const row = await findWebhook(reg, input.name);
  const last = await db().webhookDelivery.findFirst({ where: { webhookId: row.id }, orderBy: { createdAt: "desc" }, select: { status: true, createdAt: true } });
  return view(row, last);
}

export type WebhookInput = { registry: string; name: string; uri?: string; actions?: string[] | string; scope?: string; headers?: string[] | Record<string, string>; status?: string };

const newSecret = () => crypto.randomBytes(32).toString("base64url");

/** Creates the webhook; the answer carries its signing secret, which is never shown again. */
export async function createWebhook(actor: Actor, input: WebhookInput): Promise<WebhookView & { secret: string }> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const name = checkWebhookName(input.name);
  const { uri, display } = checkWebhookUri(input.uri);
  const actions = checkWebhookActions(input.actions);
  const scope = checkWebhookScope(input.scope);
  const headers = checkWebhookHeaders(input.headers);
  const status = checkWebhookStatus(input.status);
  const secret = newSecret();
  const limit = skuLimits(reg.sku).webhooks;
  try {
    const row = await db().$transaction(async (tx) => {
      // Counted under a per-registry lock, so two creates at once cannot both take the last place.
      await serializeKey(tx, `webhooks:${reg.id}`);
      const count = await tx.webhook.count({ where: { registryId: reg.id } });
      if (count >= limit) {
        throw conflict(`Registry ${reg.name} (${reg.sku}) already has ${count} webhooks, the ${reg.sku} limit of ${limit}. Delete one (wharf webhook delete) or upgrade the SKU (wharf registry update --sku …).`, "name");
      }
      const created = await tx.webhook.create({
        data: { registryId: reg.id, name, uriSealed: sealSecret(uri), uriDisplay: display, actions: actions.join(","), scope, headersSealed: Object.keys(headers).length ? sealSecret(JSON.stringify(headers)) : null, secretSealed: sealSecret(secret), status },
      });
      await recordActivity(tx, { actor: actorName(actor), action: "webhook.create", target: name, registryId: reg.id, after: { name, uri: display, actions, scope, status } });
      return created;
    });
    return { ...view(row), secret };
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Registry ${reg.name} already has a webhook named '${name}'. Choose another name or update it.`, "name");
    throw err;
  }
}

/** Changes what is given; `headers: []` removes the custom headers. */
export async function updateWebhook(actor: Actor, input: WebhookInput): Promise<WebhookView> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const row = await findWebhook(reg, input.name);
  const data: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (input.uri !== undefined) {
    const { uri, display } = checkWebhookUri(input.uri);
    Object.assign(data, { uriSealed: sealSecret(uri), uriDisplay: display });
    after.uri = display;
  }
  if (input.actions !== undefined) data.actions = after.actions = checkWebhookActions(input.actions).join(",");
  if (input.scope !== undefined) data.scope = after.scope = checkWebhookScope(input.scope);
  if (input.headers !== undefined) {
    const headers = checkWebhookHeaders(input.headers);
    data.headersSealed = Object.keys(headers).length ? sealSecret(JSON.stringify(headers)) : null;
    after.headers = Object.keys(headers);
  }
  if (input.status !== undefined) data.status = after.status = checkWebhookStatus(input.status);
  if (!Object.keys(data).length) throw invalid("Nothing to change: give --uri, --actions, --scope, --headers or --status.");
  const updated = await db().$transaction(async (tx) => {
    const u = await tx.webhook.update({ where: { id: row.id }, data });
    await recordActivity(tx, { actor: actorName(actor), action: "webhook.update", target: row.name, registryId: reg.id, before: { uri: row.uriDisplay, actions: row.actions, scope: row.scope, status: row.status }, after });
    return u;
  });
  return view(updated);
}

/** Deletes the webhook with its delivery log; pending deliveries go with it. */
export async function deleteWebhook(actor: Actor, input: { registry: string; name: string }): Promise<{ deleted: string }> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const row = await findWebhook(reg, input.name);
  await db().$transaction(async (tx) => {
    await tx.webhook.delete({ where: { id: row.id } });
    await recordActivity(tx, { actor: actorName(actor), action: "webhook.delete", target: row.name, registryId: reg.id, before: { uri: row.uriDisplay, actions: row.actions, scope: row.scope } });
  });
  return { deleted: row.name };
}

/** A new signing secret, shown once; deliveries sent from now on are signed with it. */
export async function rotateWebhookSecret(actor: Actor, input: { registry: string; name: string }): Promise<{ name: string; secret: string }> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const row = await findWebhook(reg, input.name);
  const secret = newSecret();
  await db().$transaction(async (tx) => {
    await tx.webhook.update({ where: { id: row.id }, data: { secretSealed: sealSecret(secret) } });
    await recordActivity(tx, { actor: actorName(actor), action: "webhook.rotate-secret", target: row.name, registryId: reg.id });
  });
  return { name: row.name, secret };
}

/** `az acr webhook get-config`: the full URI and the custom headers, opened. */
export async function getWebhookConfig(actor: Actor, input: { registry: string; name: string }): Promise<{ serviceUri: string; customHeaders: Record<string, string> }> {
  const reg = await webhookRegistry(actor, input?.registry, "changePolicies");
  const row = await findWebhook(reg, input.name);
  return { serviceUri: openSecret(row.uriSealed), customHeaders: row.headersSealed ? (JSON.parse(openSecret(row.headersSealed)) as Record<string, string>) : {} };
}
