import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import { Server as TlsServer, type TLSSocket } from "node:tls";
import type { Config } from "../core/config";
import { logger } from "../core/logging";
import { requestRecord } from "./access-log";
import { fromTrustedProxy, plainAddress } from "./client-address";

/**
 * Connection hygiene for the one HTTP server: nothing may hold a connection for
 * ever (header, keep-alive and request-body inactivity timeouts), no one address
 * may hold more than its share, and the total is capped. Refusals are answered
 * with an OCI error body where the socket still lets us write one.
 */
export function applyConnectionPolicy(server: Server | HttpsServer, cfg: Config): void {
  server.headersTimeout = cfg.WHARF_HEADERS_TIMEOUT_SECONDS * 1000;
  server.keepAliveTimeout = cfg.WHARF_KEEPALIVE_TIMEOUT_SECONDS * 1000;
  // A large layer may take long on a slow link: no limit on a whole request, only
  // on silence while its body is read (guardRequestBody).
  server.requestTimeout = 0;
  limitConnections(server, cfg.WHARF_MAX_CONNECTIONS, cfg.WHARF_MAX_CONNECTIONS_PER_ADDRESS);
  server.on("clientError", answerClientError);
}

/** How often Node checks header timeouts: often enough for short test timeouts, rarely enough to cost nothing. */
export function connectionsCheckingInterval(cfg: Config): number {
  return Math.max(250, Math.min(5_000, (cfg.WHARF_HEADERS_TIMEOUT_SECONDS * 1000) / 4));
}

const REFUSED = Symbol("wharf.refusedConnection");
type Tracked = Socket & { [REFUSED]?: true };

/**
 * Counts open connections per peer address and in total. One over a cap gets a
 * raw 429 (its address) or 503 (the server) with an OCI body and is closed at
 * once; the HTTP parser never hands its requests to a handler. A trusted
 * proxy's connections carry many clients, so only the total applies to them.
 */
function limitConnections(server: Server | HttpsServer, maxTotal: number, maxPerAddress: number): void {
  const perAddress = new Map<string, number>();
  let total = 0;
  const tls = server instanceof TlsServer;
  // Refused TCP connections of an HTTPS server, by peer, waiting for their TLS socket.
  const refusedHandshakes = new Map<string, () => readonly [number, string, string]>();
  if (tls) {
    server.prependListener("secureConnection", (socket: TLSSocket & { [REFUSED]?: true }) => {
      const key = `${socket.remoteAddress}|${socket.remotePort}`;
      const answer = refusedHandshakes.get(key);
      if (!answer) return;
      refusedHandshakes.delete(key);
      socket[REFUSED] = true;
      refuse(socket, ...answer());
    });
  }
  server.prependListener("connection", (socket: Tracked) => {
    const address = plainAddress(socket.remoteAddress ?? "unknown");
    const held = perAddress.get(address) ?? 0;
    const proxy = fromTrustedProxy({ socket } as IncomingMessage);
    if (total >= maxTotal || (!proxy && held >= maxPerAddress)) {
      socket[REFUSED] = true;
      const overall = total >= maxTotal;
      logger().warn({ client: address, held, total, cap: overall ? maxTotal : maxPerAddress }, overall ? "connection refused: server at its connection cap" : "connection refused: address at its connection cap");
      const answer = () =>
        [
          overall ? 503 : 429,
          overall ? "UNAVAILABLE" : "TOOMANYREQUESTS",
          overall
            ? `The server is at its limit of ${maxTotal} open connections. Retry in a few seconds.`
            : `Your address ${address} already holds ${held} open connections, the most one address may hold. Close idle connections or retry when some finish.`,
        ] as const;
      if (!tls) return void refuse(socket, ...answer());
      // Under HTTPS cleartext would garble the answer: it goes out once the handshake is done, and the raw socket
      // is freed after the grace period whatever happens.
      const peer = `${socket.remoteAddress}|${socket.remotePort}`;
      refusedHandshakes.set(peer, answer);
      socket.setTimeout(REFUSAL_GRACE_MS, () => socket.destroy());
      socket.once("close", () => refusedHandshakes.delete(peer));
      return;
    }
    total++;
    perAddress.set(address, held + 1);
    socket.once("close", () => {
      total--;
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n > 0) perAddress.set(address, n);
      else perAddress.delete(address);
    });
  });
}

/** Was this request read from a connection already refused over a cap? (Its answer was sent; handle nothing.) */
export function onRefusedConnection(req: IncomingMessage): boolean {
  return (req.socket as Tracked)[REFUSED] === true;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Payload Too Large",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  503: "Service Unavailable",
};

/** Writes a whole HTTP/1.1 answer with an OCI error body straight to the socket, then closes it. */
function refuse(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Docker-Distribution-API-Version: registry/2.0",
    ...(status === 429 || status === 503 ? ["Retry-After: 5"] : []),
    "Connection: close",
  ];
  if (socket.writable) socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
  // Give the peer a moment to read the answer (closing with its request unread
  // would reset the connection before it can), then free the handle whatever it does.
  socket.setTimeout(REFUSAL_GRACE_MS, () => socket.destroy());
}

const REFUSAL_GRACE_MS = 2_000;

/**
 * Requests Node's parser refuses never reach a handler: answer them with an OCI
 * error (400, 431 for oversized headers, 408 for headers that took too long)
 * instead of a bare status line. The raw bytes are not logged: they may hold an
 * Authorization header.
 */
function answerClientError(err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Tracked): void {
  if (err.code === "ECONNRESET" || !socket.writable || socket[REFUSED]) {
    socket.destroy();
    return;
  }
  // A response already under way on this socket: too late for another.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "The request's headers are larger than the server accepts (16 KiB in all). Send fewer or smaller headers."]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "The request's headers did not arrive in time. Send the whole request promptly."]
        : [400, `The request is not valid HTTP/1.1 (${parserProblem(err.code)}). Check the client or proxy that sent it.`];
  logger().info({ client: plainAddress(socket.remoteAddress ?? "unknown"), status, code: err.code }, "request refused by the HTTP parser");
  refuse(socket, status, status === 408 ? "UNKNOWN" : "UNSUPPORTED", message);
}

function parserProblem(code: string | undefined): string {
  switch (code) {
    case "HPE_INVALID_CONTENT_LENGTH":
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return "its Content-Length is not a single non-negative number, or conflicts with Transfer-Encoding";
    case "HPE_INVALID_TRANSFER_ENCODING":
      return "its Transfer-Encoding is not valid";
    case "HPE_INVALID_METHOD":
      return "unknown method";
    case "HPE_INVALID_HEADER_TOKEN":
      return "a header name or value has characters HTTP does not allow";
    default:
      return code ?? "malformed request";
  }
}

/**
 * A request body that stops arriving (a stalled PATCH or PUT) is cut after
 * `ms` of silence from the client, so the connection and its buffers are freed;
 * the upload session keeps what it stored and can be resumed. Silence because
 * we stopped reading (our disk or storage is slow) does not count.
 */
export function guardRequestBody(req: IncomingMessage, res: ServerResponse, ms: number): void {
  const length = req.headers["content-length"];
  if ((length === undefined || length === "0") && req.headers["transfer-encoding"] === undefined) return;
  const socket = req.socket;
  const onTimeout = () => {
    if (req.complete) return;
    // Bytes waiting in our buffer: the client is sending, we are behind. Wait again.
    if (req.readableLength > 0) {
      socket.setTimeout(ms);
      return;
    }
    logger().warn(
      { reqId: requestRecord(res)?.id, client: plainAddress(socket.remoteAddress ?? "unknown"), method: req.method, route: requestRecord(res)?.route },
      `request body stalled: no bytes for ${ms / 1000} s; connection closed`,
    );
    socket.destroy();
  };
  req.setTimeout(ms, onTimeout);
  req.once("end", () => {
    req.off("timeout", onTimeout);
    // Once the answer is out, Node has put the keep-alive timer on this socket: keep it.
    if (!res.writableFinished) socket.setTimeout(0);
  });
}
