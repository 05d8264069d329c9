import type { IncomingMessage, ServerResponse } from "node:http";
import { ERRORS, isWharfError, type ErrorCode } from "../core/errors";
import { logger } from "../core/logging";
import { requestRecord } from "./access-log";

export function sendOciError(
  req: IncomingMessage,
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  detail: unknown = null,
  status?: number,
): void {
  const e = ERRORS[code];
  const body = JSON.stringify({ errors: [{ code: e.oci, message, detail }] });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  afterUnreadBody(req, res, () => {
    res.writeHead(status ?? e.status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}

/**
 * WharfErrors become their OCI answer (lib/core/errors.ts has the table). Anything
 * else is unexpected: one error line with the request's id and route (never its
 * URL query or headers, which may hold secrets), and a 500 UNKNOWN when the
 * answer has not started. Only a caller who is gone gets nothing.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (isWharfError(err)) {
    sendOciError(req, res, err.code, err.message, err.detail);
    return;
  }
  if (isClientGone(req, err)) {
    res.destroy();
    return;
  }
  const record = requestRecord(res);
  logger().error(
    { err, reqId: record?.id, method: req.method, route: record?.route, registry: record?.registry, repository: record?.repository },
    "unexpected error while answering a request",
  );
  sendInternalError(req, res);
}

/** 500 with an OCI UNKNOWN body, or a cut connection when the answer had already begun. */
export function sendInternalError(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const record = requestRecord(res);
  const ref = record ? ` (request id ${record.id})` : "";
  const body = JSON.stringify({
    errors: [{ code: "UNKNOWN", message: `An internal error occurred${ref}; try again. If it persists, give the operator the request id: the server log has details.`, detail: null }],
  });
  afterUnreadBody(req, res, () => {
    res.writeHead(500, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}

/**
 * The caller hung up. Not `req.destroyed`: a request whose body was read to
 * the end is destroyed too, and its client is still waiting for an answer.
 */
function isClientGone(req: IncomingMessage, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return req.socket.destroyed || code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "EPIPE" || code === "ECONNABORTED";
}

/**
 * An answer sent while the client is still sending its body can be lost: when the
 * connection then closes with unread bytes, the kernel resets it and the client
 * sees no answer at all (RFC 9112 §9.6). So an early refusal first reads and drops
 * the rest of the body, up to DRAIN_LIMIT bytes, and then answers. Beyond that
 * (or a body of unbounded length past it) the answer goes out with
 * `Connection: close` rather than reading unbounded input. A stalled body is cut
 * by the server's body timeout, which ends the wait too.
 */
const DRAIN_LIMIT = 64 * 1024 * 1024;
function afterUnreadBody(req: IncomingMessage, res: ServerResponse, answer: () => void): void {
  let answered = false;
  const once = () => {
    if (answered) return;
    answered = true;
    if (!res.headersSent && !res.destroyed) answer();
  };
  if (req.complete || req.readableEnded || req.destroyed) return once();
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (!req.headers["transfer-encoding"] && !(declared <= DRAIN_LIMIT)) {
    res.setHeader("Connection", "close");
    return once();
  }
  let seen = 0;
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_LIMIT) {
      res.setHeader("Connection", "close");
      once();
    }
  });
  req.once("end", once);
  req.once("error", once);
  req.once("close", once);
  req.resume();
}
