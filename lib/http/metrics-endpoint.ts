import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../core/context";
import { db } from "../core/db";
import { metrics, type Metrics } from "../core/metrics";
import { storage } from "../registry/storage";
import { send, sendJson } from "./context";

/**
 * GET /metrics in Prometheus' text format, answered before the portal (like /healthz). With WHARF_METRICS_TOKEN
 * set, a scrape must send `Authorization: Bearer <token>`; unset, the endpoint is open (it names no tenant: labels
 * are route classes, methods, statuses and reasons only).
 */
export function isMetricsPath(url: string | undefined): boolean {
  return url?.split("?", 1)[0] === "/metrics";
}

const PROBE_TIMEOUT_MS = 3_000;
// A path no blob or manifest can have (the same idea as /readyz's probe).
const PROBE_PATH = "metrics-probe";

export async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  if (!authorised(req.headers.authorization)) {
    return sendJson(res, 401, { status: "unauthorized", message: "Send the WHARF_METRICS_TOKEN as `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials: … }`)." }, { "WWW-Authenticate": 'Bearer realm="metrics"' });
  }
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { status: "method not allowed" }, { Allow: "GET, HEAD" });
  const m = metrics();
  await Promise.all([probe(m, "database", m.dbProbe, () => db().$queryRaw`SELECT 1`), probe(m, "storage", m.storageProbe, () => storage().stat(PROBE_PATH))]);
  const body = await m.register.metrics();
  send(res, 200, { "Content-Type": m.register.contentType }, req.method === "HEAD" ? undefined : body);
}

// Constant-time: compare digests of equal length, so neither the content nor the length of the token leaks by timing.
function authorised(header: string | undefined): boolean {
  const token = config().WHARF_METRICS_TOKEN;
  if (!token) return true;
  if (!header || header.slice(0, 7).toLowerCase() !== "bearer ") return false;
  const given = crypto.createHash("sha256").update(header.slice(7).trim()).digest();
  const wanted = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(given, wanted);
}

/** Times a cheap call to a dependency; one that fails or hangs counts as down and is timed up to its failure. */
async function probe(m: Metrics, dependency: string, histogram: Metrics["dbProbe"], call: () => Promise<unknown>): Promise<void> {
  const end = histogram.startTimer();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([call(), timeout]);
    m.up.set({ dependency }, 1);
  } catch {
    m.up.set({ dependency }, 0);
  } finally {
    clearTimeout(timer);
    end();
  }
}
