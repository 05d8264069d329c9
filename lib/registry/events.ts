import crypto from "node:crypto";
import { context, slot } from "../core/context";
import { db, type Tx } from "../core/db";
import { currentOrigin } from "../core/origin";

/**
 * The one path every event takes: an activity row and, for the actions webhooks carry, one outbox row per matching
 * webhook, written in the transaction of the change itself. The change and its notifications commit together or not
 * at all, so a push is never lost because a receiver (or Wharf) was down; the webhook worker delivers the outbox.
 */

/** Where a request came from, as ACR's payload names it (`request`) plus the caller's address for the activity log. */
export type EventRequest = { id: string; host: string; method: string; useragent: string };

/** Who caused an event and from where: passed from the door it came through (the /v2 API, the portal, the CLI). */
export type EventOrigin = { actor: string; address?: string | null; request?: EventRequest };

/** Webhook actions, as `az acr webhook create --actions` names them. */
export const WEBHOOK_ACTIONS = ["push", "delete"] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** ACR's `target`: what the event is about. */
export type HookTarget = { mediaType?: string; size?: number; digest?: string; length?: number; repository: string; tag?: string };

export type RegistryEvent = {
  actor: string;
  /** The activity action: "manifest.push", "tag.delete", "registry.update", "signin"… */
  action: string;
  /** What it was about, for people: "app:v1", "contoso", "app@sha256:…". */
  target: string;
  registryId?: string | null;
  address?: string | null;
  result?: "ok" | "denied" | "failed";
  repository?: string;
  tag?: string;
  digest?: string;
  before?: unknown;
  after?: unknown;
  request?: EventRequest;
  /** Set when webhooks carry the event; `tags` are the tags a delete took with it (scope matching). */
  hook?: { action: WebhookAction; target: HookTarget; tags?: string[] };
};

/** The payload a receiver gets: ACR's event shape. */
export type HookPayload = { id: string; timestamp: string; action: string; target: HookTarget; request?: EventRequest };

export function hookPayload(id: string, at: Date, action: string, target: HookTarget, request?: EventRequest): HookPayload {
  const payload: HookPayload = { id, timestamp: at.toISOString(), action, target };
  if (request) payload.request = request;
  return payload;
}

/**
 * A webhook's `--scope`, as ACR reads it: "" every repository; "repo:*" every tag of repo; "repo:tag" that tag;
 * "repo" means "repo:latest". An event without a tag (a delete by digest) matches a scope naming one of the tags
 * it removed, or the repository's "*".
 */
export function scopeMatches(scope: string, repository: string, tags: string[]): boolean {
  if (!scope) return true;
  const colon = scope.lastIndexOf(":");
  const repo = colon < 0 ? scope : scope.slice(0, colon);
  const tag = colon < 0 ? "latest" : scope.slice(colon + 1);
  if (!globMatch(repo, repository)) return false;
  return tag === "*" || tags.some((t) => globMatch(tag, t));
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(value);
}

/**
 * Wakes this node's webhook worker after a change that wrote outbox rows has committed (the worker registers the
 * waker; other nodes find the rows at their next poll). Memory only decides when to look, never what is sent.
 */
const wake = slot("eventWake", () => ({ pending: false, waker: null as (() => void) | null }));

export function setDeliveryWaker(waker: (() => void) | null): void {
  context().get(wake).waker = waker;
}

/** Called by the engine after its transaction committed: wakes the worker if that transaction queued deliveries. */
export function eventsCommitted(): void {
  const w = context().get(wake);
  if (!w.pending) return;
  w.pending = false;
  w.waker?.();
}

/** Records the event in the caller's transaction: the activity row, and the outbox rows of matching webhooks. */
export async function emitEvent(tx: Tx, e: RegistryEvent): Promise<void> {
  const at = new Date();
  await tx.activityLog.create({ data: activityRow(e, at) });
  if (!e.hook || !e.registryId) return;
  const hooks = await tx.webhook.findMany({ where: { registryId: e.registryId, status: "enabled" }, select: { id: true, actions: true, scope: true } });
  if (!hooks.length) return;
  const tags = e.hook.tags ?? (e.hook.target.tag ? [e.hook.target.tag] : []);
  const matching = hooks.filter((h) => h.actions.split(",").includes(e.hook!.action) && scopeMatches(h.scope, e.hook!.target.repository, tags));
  if (!matching.length) return;
  const eventId = crypto.randomUUID();
  const payload = JSON.stringify(hookPayload(eventId, at, e.hook.action, e.hook.target, e.request));
  await tx.webhookDelivery.createMany({ data: matching.map((h) => ({ webhookId: h.id, eventId, action: e.hook!.action, payload, nextAttemptAt: at })) });
  context().get(wake).pending = true;
}

/** An event no transaction carries (a sign-in, a refused token request): written on its own. */
export async function emitEventNow(e: RegistryEvent): Promise<void> {
  await db().$transaction((tx) => emitEvent(tx, e));
  eventsCommitted();
}

function activityRow(e: RegistryEvent, at: Date) {
  return {
    at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    registryId: e.registryId ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    // Changes made through the portal carry the caller's address from the request they came with.
    address: e.address ?? currentOrigin()?.address ?? null,
    repository: e.repository ?? null,
    tag: e.tag ?? null,
    digest: e.digest ?? null,
    result: e.result ?? "ok",
  };
}
