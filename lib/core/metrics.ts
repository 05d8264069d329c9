import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { context, slot } from "./context";

/**
 * The process's Prometheus metrics, one registry per context (a test's new context starts from zero). Labels come
 * from small fixed sets only (route class, method, status, reason): never paths, repository or registry names,
 * whose number is unbounded and would make every scrape grow with the tenants' content.
 */
export type RouteClass = "base" | "manifest" | "blob" | "upload" | "tags" | "catalog" | "referrers" | "token" | "portal" | "health" | "metrics" | "other";

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const PROBE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3];

function create() {
  const register = new Registry();
  const registers = [register];
  collectDefaultMetrics({ register, prefix: "wharf_" });
  return {
    register,
    requests: new Counter({ name: "wharf_http_requests_total", help: "HTTP requests answered, by route class, method and status (0: the client left before an answer).", labelNames: ["route", "method", "status"], registers }),
    bytesIn: new Counter({ name: "wharf_http_received_bytes_total", help: "Bytes received from clients (request lines, headers and bodies), by route class.", labelNames: ["route"], registers }),
    bytesOut: new Counter({ name: "wharf_http_sent_bytes_total", help: "Bytes sent to clients (headers and bodies), by route class.", labelNames: ["route"], registers }),
    duration: new Histogram({ name: "wharf_http_request_duration_seconds", help: "Time from a request's arrival to the end of its answer, by route class and method.", labelNames: ["route", "method"], buckets: DURATION_BUCKETS, registers }),
    uploads: new Histogram({ name: "wharf_upload_duration_seconds", help: "Time of each blob-upload request, bytes received included: start (POST), chunk (PATCH), finish (PUT).", labelNames: ["step"], buckets: DURATION_BUCKETS, registers }),
    tokensIssued: new Counter({ name: "wharf_tokens_issued_total", help: "Access tokens issued by /oauth2/token.", registers }),
    tokensRefused: new Counter({ name: "wharf_token_refusals_total", help: "Requests to /oauth2/token answered without a token, by status (401 bad credentials, 403 network rule, 429 throttled…).", labelNames: ["status"], registers }),
    rateLimited: new Counter({ name: "wharf_rate_limit_refusals_total", help: "Requests refused with 429, by the limit that was spent (anonymous, registry_read, registry_write, login).", labelNames: ["reason"], registers }),
    gcRuns: new Counter({ name: "wharf_gc_runs_total", help: "Garbage-collection runs this node finished, by result (ok, failed).", labelNames: ["result"], registers }),
    gcBlobs: new Counter({ name: "wharf_gc_blobs_deleted_total", help: "Blobs deleted by garbage collection on this node.", registers }),
    gcBytes: new Counter({ name: "wharf_gc_freed_bytes_total", help: "Bytes freed by garbage collection on this node (blobs and upload sessions).", registers }),
    webhookDeliveries: new Counter({ name: "wharf_webhook_deliveries_total", help: "Webhook delivery attempts this node made, by outcome (delivered, retry, dead).", labelNames: ["outcome"], registers }),
    webhookDuration: new Histogram({ name: "wharf_webhook_delivery_duration_seconds", help: "Time of each webhook delivery attempt, from request to the receiver's answer (or failure).", buckets: DURATION_BUCKETS, registers }),
    dbProbe: new Histogram({ name: "wharf_database_probe_seconds", help: "Time of a trivial database query (SELECT 1), run at each scrape.", buckets: PROBE_BUCKETS, registers }),
    storageProbe: new Histogram({ name: "wharf_storage_probe_seconds", help: "Time of a storage stat of a path that does not exist, run at each scrape.", buckets: PROBE_BUCKETS, registers }),
    up: new Gauge({ name: "wharf_dependency_up", help: "1 when the dependency answered the last scrape's probe in time, 0 otherwise.", labelNames: ["dependency"], registers }),
  };
}

export type Metrics = ReturnType<typeof create>;

const metricsSlot = slot("metrics", create, (m) => m.register.clear());

/** This process's metrics. */
export function metrics(): Metrics {
  return context().get(metricsSlot);
}

/** Counts what one garbage-collection run freed (or that it failed). */
export function recordGcRun(report: { blobsDeleted: number; bytesFreed: number; uploadBytesFreed: number } | null): void {
  const m = metrics();
  if (!report) return void m.gcRuns.inc({ result: "failed" });
  m.gcRuns.inc({ result: "ok" });
  m.gcBlobs.inc(report.blobsDeleted);
  m.gcBytes.inc(report.bytesFreed + report.uploadBytesFreed);
}
