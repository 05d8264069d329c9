import crypto, { randomUUID } from "node:crypto";
import { setDeliveryWaker } from "../registry/events";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import { checkLiteralHost, EgressDenied, egressLookup } from "../core/egress";
import { context, slot, config } from "../core/context";
import { db } from "../core/db";
import { logger } from "../core/logging";
import { metrics } from "../core/metrics";
import { openSecret } from "../core/secrets";
import { nextRetryAt } from "./webhook-rules";

/**
 * Delivers the webhook outbox (DESIGN 5b). A due `pending` row is claimed with a lease in one conditional update, so
 * of several nodes exactly one sends it at a time; a node that dies lets its lease run out and another sends it
 * again (receivers see at-least-once delivery and can use X-Wharf-Delivery to drop repeats). Each try is logged as
 * a WebhookAttempt; 2xx delivers, anything else retries with backoff until the retry window closes, then the row is
 * dead (redeliver makes a new row).
 */

const TIMEOUT_MS = 10_000;
const LEASE_MS = TIMEOUT_MS + 20_000;
const POLL_MS = 2_000;
const BATCH = 8;
const BODY_LIMIT = 4096;

type Worker = { nodeId: string; timer?: NodeJS.Timeout; running: Map<string, Promise<void>>; stop: AbortController; ticking: boolean; again: boolean };
const workerSlot = slot<Worker>(
  "webhookWorker",
  () => ({ nodeId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, running: new Map(), stop: new AbortController(), ticking: false, again: false }),
  (w) => stopWorker(w),
);

async function stopWorker(w: Worker): Promise<void> {
  if (w.timer) clearInterval(w.timer);
  w.timer = undefined;
  w.stop.abort();
  await Promise.all([...w.running.values()].map((p) => p.catch(() => undefined)));
}

/** Stops this node's deliveries and hands the ones in flight back (shutdown, first, while the database is open). */
export async function stopWebhookWorker(): Promise<void> {
  await stopWorker(context().get(workerSlot));
}

const free = () => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] });

async function claim(id: string, nodeId: string): Promise<boolean> {
  const { count } = await db().webhookDelivery.updateMany({
    where: { id, status: "pending", ...free() },
    data: { leaseOwner: nodeId, leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  return count > 0;
}

/** The exact bytes' signature a receiver recomputes: `sha256=` + hex HMAC-SHA256 with the webhook's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(body).digest("hex")}`;
}

type Sent = { requestHeaders: Record<string, string>; status: number | null; responseHeaders: Record<string, string> | null; body: string | null; error: string | null; ms: number };

async function send(uri: string, headers: Record<string, string>, body: string, stop: AbortSignal): Promise<Sent> {
  const started = performance.now();
  const out: Sent = { requestHeaders: headers, status: null, responseHeaders: null, body: null, error: null, ms: 0 };
  const signal = AbortSignal.any([stop, AbortSignal.timeout(TIMEOUT_MS)]);
  try {
    const res = await post(new URL(uri), headers, body, signal);
    out.status = res.statusCode ?? null;
    out.responseHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v ?? "")]));
    out.body = await readCapped(res);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    out.error = (signal.reason as Error | undefined)?.name === "TimeoutError" ? `No answer within ${TIMEOUT_MS / 1000} s.` : e instanceof EgressDenied ? e.message : (e.code ?? e.message);
  }
  out.ms = Math.round(performance.now() - started);
  return out;
}

/**
 * One POST over node:http, resolving the receiver's name through the outbound policy (WHARF_EGRESS_DENY). No
 * redirects are followed: a receiver that moved says so in the log instead of Wharf posting the payload elsewhere.
 */
function post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  checkLiteralHost(config().egress, url.hostname);
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(bytes.length) },
      signal,
      lookup: receiverLookup,
      agent: false,
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end(bytes);
  });
}

const receiverLookup = egressLookup(() => config().egress);

async function readCapped(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= BODY_LIMIT) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8");
}

/** Sends one claimed delivery once and records the outcome. */
async function deliver(id: string, w: Worker): Promise<void> {
  const d = await db().webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  if (!d) return;
  const owned = { id, leaseOwner: w.nodeId };
  const hook = d.webhook;
  let headers: Record<string, string> = { "Content-Type": "application/json", "X-Wharf-Event": d.action, "X-Wharf-Delivery": d.id };
  let sent: Sent;
  try {
    headers = {
      ...(hook.headersSealed ? (JSON.parse(openSecret(hook.headersSealed)) as Record<string, string>) : {}),
      "Content-Type": "application/json",
      "User-Agent": "Wharf-Webhook/1",
      "X-Wharf-Event": d.action,
      "X-Wharf-Delivery": d.id,
      "X-Wharf-Signature": signBody(openSecret(hook.secretSealed), d.payload),
    };
    sent = await send(openSecret(hook.uriSealed), headers, d.payload, w.stop.signal);
  } catch (err) {
    // The sealed URI, headers or secret cannot be opened (the secrets key changed): an attempt that failed, retried
    // and dead-lettered like any other, with the reason in the log, rather than a row retried unseen forever.
    sent = { requestHeaders: headers, status: null, responseHeaders: null, body: null, ms: 0, error: `Wharf could not open this webhook's stored URI, headers or secret (${(err as Error).message}). Restore the secrets key it was made with (WHARF_SECRETS_KEY), or delete the webhook and create it again.` };
  }
  if (w.stop.signal.aborted) {
    // Shutting down mid-request: not the receiver's failure; hand the row back for the next node (or this one restarted).
    await db().webhookDelivery.updateMany({ where: owned, data: { leaseOwner: null, leaseUntil: null } }).catch(() => undefined);
    return;
  }
  const now = new Date();
  const ok = sent.status !== null && sent.status >= 200 && sent.status < 300;
  const shownHeaders = { ...headers, ...Object.fromEntries(Object.keys(headers).filter((k) => !k.startsWith("X-Wharf") && !["Content-Type", "User-Agent"].includes(k)).map((k) => [k, "(custom header, hidden)"])) };
  const first = await db().webhookAttempt.findFirst({ where: { deliveryId: id }, orderBy: { at: "asc" }, select: { at: true } });
  const next = ok ? null : nextRetryAt(first?.at ?? now, d.attempts + 1, now, config().WHARF_WEBHOOK_RETRY_SECONDS);
  const outcome = ok ? "delivered" : next ? "retry" : "dead";
  await db().$transaction([
    db().webhookAttempt.create({
      data: {
        deliveryId: id,
        at: now,
        requestHeaders: JSON.stringify(shownHeaders),
        responseStatus: sent.status,
        responseHeaders: sent.responseHeaders ? JSON.stringify(sent.responseHeaders) : null,
        responseBody: sent.body,
        error: sent.error ?? (ok ? null : `The receiver answered ${sent.status}; only 2xx counts as delivered.`),
        durationMs: sent.ms,
      },
    }),
    db().webhookDelivery.updateMany({
      where: owned,
      data: {
        attempts: { increment: 1 },
        leaseOwner: null,
        leaseUntil: null,
        ...(outcome === "retry" ? { nextAttemptAt: next! } : { status: outcome, finishedAt: now }),
      },
    }),
  ]);
  metrics().webhookDeliveries.inc({ outcome });
  metrics().webhookDuration.observe(sent.ms / 1000);
  if (outcome === "dead") logger().warn({ deliveryId: id, webhook: hook.name }, "webhook delivery dead after its retry window");
}

function track(w: Worker, id: string, p: Promise<void>): Promise<void> {
  w.running.set(id, p);
  return p.catch((err) => logger().error({ err, deliveryId: id }, "webhook delivery failed unexpectedly")).finally(() => w.running.delete(id));
}

/** One look for due deliveries no one holds; each claimed one is sent alongside the others. */
export async function webhookWorkerTick(): Promise<void> {
  const w = context().get(workerSlot);
  if (w.stop.signal.aborted) return;
  if (w.ticking) return void (w.again = true);
  w.ticking = true;
  try {
    do {
      w.again = false;
      const due = await db().webhookDelivery.findMany({ where: { status: "pending", nextAttemptAt: { lte: new Date() }, ...free() }, orderBy: { nextAttemptAt: "asc" }, select: { id: true }, take: BATCH });
      for (const { id } of due) {
        if (w.running.has(id) || w.running.size >= BATCH) continue;
        if (await claim(id, w.nodeId)) void track(w, id, deliver(id, w));
      }
    } while (w.again && !w.stop.signal.aborted);
  } finally {
    w.ticking = false;
  }
}

/** After this node committed outbox rows: look now rather than at the next poll. */
export function pokeWebhookWorker(): void {
  const w = context().get(workerSlot);
  if (!w.timer) return;
  setImmediate(() => void webhookWorkerTick().catch((err) => logger().error({ err }, "webhook worker could not look for work")));
}

/** Sends one delivery in this process if no one holds it (ping, redeliver from the CLI); resolves once tried. */
export async function deliverHere(id: string): Promise<boolean> {
  const w = context().get(workerSlot);
  if (w.running.has(id)) return w.running.get(id)!.then(() => true);
  if (!(await claim(id, w.nodeId))) return false;
  await track(w, id, deliver(id, w));
  return true;
}

/** Starts this node's webhook worker (server.ts); the context's close stops it. */
export function startWebhookWorker(): void {
  const w = context().get(workerSlot);
  if (w.timer) return;
  w.timer = setInterval(() => void webhookWorkerTick().catch((err) => logger().error({ err }, "webhook worker could not look for work")), POLL_MS);
  w.timer.unref();
  setDeliveryWaker(pokeWebhookWorker);
  pokeWebhookWorker();
}
