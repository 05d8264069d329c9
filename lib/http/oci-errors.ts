import type { IncomingMessage, ServerResponse } from "node:http";
import { isEngineError, type RegistryErrorKind } from "../core/registry-errors";

/** Every OCI error code we answer with, once, with its HTTP status. */
export const OCI_ERRORS: Record<RegistryErrorKind, { code: string; status: number }> = {
  BlobUnknown: { code: "BLOB_UNKNOWN", status: 404 },
  BlobUploadInvalid: { code: "BLOB_UPLOAD_INVALID", status: 400 },
  BlobUploadUnknown: { code: "BLOB_UPLOAD_UNKNOWN", status: 404 },
  // The spec asks for 416 on an out-of-order chunk; the body names the upload as invalid.
  RangeInvalid: { code: "BLOB_UPLOAD_INVALID", status: 416 },
  DigestInvalid: { code: "DIGEST_INVALID", status: 400 },
  ManifestBlobUnknown: { code: "MANIFEST_BLOB_UNKNOWN", status: 400 },
  ManifestInvalid: { code: "MANIFEST_INVALID", status: 400 },
  ManifestTooLarge: { code: "MANIFEST_INVALID", status: 413 },
  ManifestUnknown: { code: "MANIFEST_UNKNOWN", status: 404 },
  NameInvalid: { code: "NAME_INVALID", status: 400 },
  NameUnknown: { code: "NAME_UNKNOWN", status: 404 },
  SizeInvalid: { code: "SIZE_INVALID", status: 400 },
  Unauthorized: { code: "UNAUTHORIZED", status: 401 },
  Denied: { code: "DENIED", status: 403 },
  Unsupported: { code: "UNSUPPORTED", status: 405 },
  TooManyRequests: { code: "TOOMANYREQUESTS", status: 429 },
};

export function sendOciError(
  req: IncomingMessage,
  res: ServerResponse,
  kind: RegistryErrorKind,
  message: string,
  detail: unknown = null,
  status?: number,
): void {
  const e = OCI_ERRORS[kind];
  const body = JSON.stringify({ errors: [{ code: e.code, message, detail }] });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  unreadBodyPolicy(req, res);
  res.writeHead(status ?? e.status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Domain errors become their OCI answer; anything else is logged and answered generically. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (isEngineError(err)) {
    sendOciError(req, res, err.kind, err.message, err.detail);
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
