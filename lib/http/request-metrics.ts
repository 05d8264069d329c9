import type { IncomingMessage, ServerResponse } from "node:http";
import { metrics, type RouteClass } from "../core/metrics";

/** The data plane's route names (routes.ts) and "token", folded into the fixed route classes /metrics reports. */
export function routeClass(route: string | null): RouteClass {
  switch (route) {
    case "manifest":
    case "blob":
    case "tags":
    case "catalog":
    case "referrers":
    case "token":
    case "base":
    case "upload":
      return route;
    case "uploadStart":
      return "upload";
    default:
      return "other";
  }
}

// Methods outside this set (a client's typo, a scanner's PROPFIND) share one label value.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const UPLOAD_STEPS: Record<string, string> = { POST: "start", PATCH: "chunk", PUT: "finish" };

export type Observation = {
  route: RouteClass;
  method: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
  /** For a 429: the limit that was spent. */
  limit?: string | null;
};

/**
 * Counts one finished request. Called from the access log's close handler (data plane) or countRequest (the
 * rest): counter increments only, no per-request objects beyond the label sets.
 */
export function observeRequest(o: Observation): void {
  const m = metrics();
  const method = METHODS.has(o.method) ? o.method : "other";
  m.requests.inc({ route: o.route, method, status: o.status });
  if (o.bytesIn) m.bytesIn.inc({ route: o.route }, o.bytesIn);
  if (o.bytesOut) m.bytesOut.inc({ route: o.route }, o.bytesOut);
  m.duration.observe({ route: o.route, method }, o.seconds);
  if (o.route === "upload" && UPLOAD_STEPS[method]) m.uploads.observe({ step: UPLOAD_STEPS[method] }, o.seconds);
  if (o.route === "token") {
    if (o.status === 200) m.tokensIssued.inc();
    else if (o.status) m.tokensRefused.inc({ status: o.status });
  }
  if (o.status === 429) m.rateLimited.inc({ reason: o.limit ?? (o.route === "token" ? "login" : "other") });
}

/** Counts a request answered outside the data plane (portal, probes, /metrics) when its response closes. */
export function countRequest(req: IncomingMessage, res: ServerResponse, route: RouteClass): void {
  const start = performance.now();
  const socket = req.socket;
  const writtenBefore = socket.bytesWritten;
  res.on("close", () =>
    observeRequest({
      route,
      method: req.method ?? "GET",
      status: res.headersSent ? res.statusCode : 0,
      bytesIn: bytesReadSinceLastRequest(req),
      bytesOut: socket.bytesWritten - writtenBefore,
      seconds: (performance.now() - start) / 1000,
    }),
  );
}

const READ_MARK = Symbol("wharf.bytesReadMark");
type MarkedSocket = IncomingMessage["socket"] & { [READ_MARK]?: number };

/**
 * Bytes the connection read for this request, headers included: by the time a handler runs, Node has already read
 * the headers and often a small body with them, so a difference taken from the handler's start would miss them.
 * Measured from the end of the connection's previous request instead (HTTP/1.1 answers one at a time).
 */
export function bytesReadSinceLastRequest(req: IncomingMessage): number {
  const socket = req.socket as MarkedSocket;
  const now = socket.bytesRead;
  const read = now - (socket[READ_MARK] ?? 0);
  socket[READ_MARK] = now;
  return read;
}
