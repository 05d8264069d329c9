import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, slot } from "../core/context";
import { logger } from "../core/logging";
import { principalFromSubject, type Principal } from "../auth/principal";
import { bytesReadSinceLastRequest, observeRequest, routeClass } from "./request-metrics";

/**
 * One access-log line per /v2 and /oauth2 request, written when the response is
 * done (or the connection dropped). Handlers fill in what they learn (route,
 * repository, who is calling) on the request's record; nothing from the URL's
 * query, the body or the Authorization header is ever copied into it.
 */
export type RequestRecord = {
  id: string;
  client: string;
  method: string;
  route: string | null;
  registry: string | null;
  repository: string | null;
  /** `kind:name`, when the handler knows the principal itself (the token endpoint). */
  principal: string | null;
  /** The verified token's subject; turned into `kind:name` when the line is written. */
  subject: string | null;
  /** For a 429: the limit that was spent (anonymous, registry_read, registry_write, login), for /metrics. */
  limit: string | null;
};

const RECORD = Symbol("wharf.requestRecord");
type Tracked = ServerResponse & { [RECORD]?: RequestRecord };

/**
 * Starts the record of a request: gives it an id (sent back as X-Request-Id) and
 * writes its line when it ends. Kept cheap: no wrapping of the response's
 * methods (bytes are read off the connection's counter) and an id from a
 * per-process random prefix and a counter rather than a UUID per request.
 */
export function trackRequest(req: IncomingMessage, res: ServerResponse, client: string): RequestRecord {
  const ids = context().get(idSource);
  const record: RequestRecord = {
    id: `${ids.prefix}-${(ids.next++).toString(36)}`,
    client,
    method: req.method ?? "GET",
    route: null,
    registry: null,
    repository: null,
    principal: null,
    subject: null,
    limit: null,
  };
  (res as Tracked)[RECORD] = record;
  res.setHeader("X-Request-Id", record.id);
  const start = performance.now();
  // Bytes this answer put on the connection (status line, headers and body): a
  // client that hangs up mid-blob has received less than Content-Length says.
  // HTTP/1.1 answers one request at a time per connection, so the difference of
  // the connection's counter is this answer's (pipelined requests aside).
  const socket = req.socket;
  const bytesBefore = socket.bytesWritten;
  res.on("close", () => {
    const ms = Math.round((performance.now() - start) * 10) / 10;
    const status = res.headersSent ? res.statusCode : 0;
    const bytes = socket.bytesWritten - bytesBefore;
    const aborted = res.writableFinished ? undefined : true;
    observeRequest({ route: routeClass(record.route), method: record.method, status, bytesIn: bytesReadSinceLastRequest(req), bytesOut: bytes, seconds: ms / 1000, limit: record.limit });
    const line = (principal: string) =>
      logger().info(
        { reqId: record.id, client: record.client, principal, registry: record.registry, repository: record.repository, method: record.method, route: record.route, status, bytes, ms, aborted },
        "request",
      );
    const subject = record.subject;
    const known = record.principal ?? (subject ? cachedLabel(subject) : "anonymous");
    if (known) return line(known);
    void principalLabel(subject!).then(line, () => line(subject!));
  });
  return record;
}

// Request ids: unique across processes and nodes by the random prefix, ordered within one.
const idSource = slot("requestIds", () => ({ prefix: crypto.randomBytes(6).toString("base64url"), next: 1 }));

/** The record of the request this response answers (null outside the data plane). */
export function requestRecord(res: ServerResponse): RequestRecord | null {
  return (res as Tracked)[RECORD] ?? null;
}

/** Lets a handler that authenticated the caller itself (the token endpoint) name it in the access log. */
export function notePrincipal(res: ServerResponse, principal: Principal): void {
  const record = requestRecord(res);
  if (record) record.principal = labelOf(principal);
}

export function labelOf(p: Principal): string {
  return p.kind === "anonymous" ? "anonymous" : `${p.kind}:${p.name}`;
}

// Token subjects name principals by id; the log shows names. Names change
// rarely and a stale one for a minute is harmless, so a small cache spares the
// database a lookup per request.
const LABEL_TTL_MS = 60_000;
const labels = slot("principalLabels", () => new Map<string, { label: string; until: number }>());

function cachedLabel(subject: string): string | null {
  if (subject === "anonymous") return "anonymous";
  const hit = context().get(labels).get(subject);
  return hit && hit.until > Date.now() ? hit.label : null;
}

async function principalLabel(subject: string): Promise<string> {
  const p = await principalFromSubject(subject);
  // A principal that may no longer log in keeps its subject (kind:id) in the log.
  const label = p ? labelOf(p) : subject;
  const cache = context().get(labels);
  if (cache.size > 10_000) cache.clear();
  cache.set(subject, { label, until: Date.now() + LABEL_TTL_MS });
  return label;
}
