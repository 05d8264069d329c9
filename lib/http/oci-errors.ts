import type { IncomingMessage, ServerResponse } from "node:http";
import { ERRORS, isWharfError, type ErrorCode } from "../core/errors";

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
  unreadBodyPolicy(req, res);
  res.writeHead(status ?? e.status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** WharfErrors become their OCI answer (lib/core/errors.ts has the table); anything else is logged and answered generically. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (isWharfError(err)) {
    sendOciError(req, res, err.code, err.message, err.detail);
    return;
  }
  if (isClientGone(req, err)) {
    res.destroy();
    return;
  }
  console.error(`data plane: ${req.method} ${req.url} failed:`, err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  unreadBodyPolicy(req, res);
  const body = JSON.stringify({ errors: [{ code: "UNKNOWN", message: "An internal error occurred; try again. If it persists, the server log has details.", detail: null }] });
  res.writeHead(500, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function isClientGone(req: IncomingMessage, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return req.destroyed || code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || code === "EPIPE";
}

/**
 * When we answer before reading the request body, Node would read (and drop)
 * the rest to keep the connection. Fine for small bodies; for large or
 * unknown-length ones close the connection instead of reading unbounded input.
 */
const DRAIN_LIMIT = 16 * 1024 * 1024;
function unreadBodyPolicy(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.readableEnded) return;
  const len = Number(req.headers["content-length"] ?? NaN);
  if (req.headers["transfer-encoding"] || !(len <= DRAIN_LIMIT)) res.setHeader("Connection", "close");
}
