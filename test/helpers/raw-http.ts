import net from "node:net";

/**
 * HTTP/1.1 over a bare socket, for requests `fetch` refuses to send: paths with
 * '..' or '%2f' kept as written, Content-Length that disagrees with the body,
 * duplicate or oversized headers, chunked bodies longer than their Content-Range.
 * The connection stays keep-alive (a server that answers early then drains the
 * body, so the answer is not lost to a reset); the first response is read by its
 * framing and parsed (extra body bytes may make a second one, ignored).
 */
export type RawRequest = {
  method: string;
  path: string;
  /** Pairs, so a header may repeat; Host is added unless given. */
  headers?: [string, string][] | Record<string, string>;
  /** Sent as is; Content-Length is added unless `headers` has one or `chunked` is set. */
  body?: Buffer | string;
  /** Send `body` (or these pieces) with Transfer-Encoding: chunked. */
  chunked?: boolean | Buffer[];
  /** Hang up this long after sending, without waiting for an answer (a client that dies). */
  hangUpAfterMs?: number;
  timeoutMs?: number;
};

export type RawAnswer = {
  /** 0 when the server closed without answering (or the client hung up first). */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The OCI error code of a JSON error body, when there is one. */
  code: string | null;
  json: unknown;
};

export async function rawHttp(port: number, r: RawRequest): Promise<RawAnswer> {
  const pairs: [string, string][] = Array.isArray(r.headers) ? [...r.headers] : Object.entries(r.headers ?? {});
  const has = (name: string) => pairs.some(([k]) => k.toLowerCase() === name);
  if (!has("host")) pairs.unshift(["Host", `127.0.0.1:${port}`]);
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
  let payload: Buffer = Buffer.alloc(0);
  if (r.chunked) {
    if (!has("transfer-encoding")) pairs.push(["Transfer-Encoding", "chunked"]);
    const pieces = Array.isArray(r.chunked) ? r.chunked : body ? [body] : [];
    const parts: Buffer[] = [];
    for (const p of pieces) if (p.length) parts.push(Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from("\r\n"));
    parts.push(Buffer.from("0\r\n\r\n"));
    payload = Buffer.concat(parts);
  } else if (body) {
    if (!has("content-length")) pairs.push(["Content-Length", String(body.length)]);
    payload = body;
  } else if (["POST", "PUT", "PATCH"].includes(r.method) && !has("content-length")) {
    pairs.push(["Content-Length", "0"]);
  }
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${pairs.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;

  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseFirstResponse(Buffer.concat(received), r.method));
    };
    const timer = setTimeout(finish, r.timeoutMs ?? 20_000);
    socket.on("data", (d) => {
      received.push(d);
      if (responseComplete(Buffer.concat(received), r.method)) finish();
    });
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(head);
    // A write error (the server hung up while we still send) is an answer too.
    if (payload.length) socket.write(payload, () => undefined);
    if (r.hangUpAfterMs !== undefined) setTimeout(() => finish(), r.hangUpAfterMs);
  });
}

function splitHead(buf: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, rest: buf.subarray(end + 4) };
}

function bodyOf(h: { status: number; headers: Record<string, string>; rest: Buffer }, method: string): Buffer | null {
  if (method === "HEAD" || h.status === 204 || h.status === 304 || (h.status >= 100 && h.status < 200)) return Buffer.alloc(0);
  if (h.headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
    const out: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const eol = h.rest.indexOf("\r\n", pos);
      if (eol < 0) return null;
      const size = parseInt(h.rest.subarray(pos, eol).toString("latin1"), 16);
      if (Number.isNaN(size)) return Buffer.concat(out);
      if (size === 0) return Buffer.concat(out);
      if (h.rest.length < eol + 2 + size) return null;
      out.push(h.rest.subarray(eol + 2, eol + 2 + size));
      pos = eol + 2 + size + 2;
    }
  }
  const len = h.headers["content-length"];
  if (len !== undefined) return h.rest.length >= Number(len) ? h.rest.subarray(0, Number(len)) : null;
  return null; // until close
}

function responseComplete(buf: Buffer, method: string): boolean {
  const h = splitHead(buf);
  return !!h && bodyOf(h, method) !== null;
}

function parseFirstResponse(buf: Buffer, method: string): RawAnswer {
  const h = splitHead(buf);
  if (!h) return { status: 0, headers: {}, body: "", code: null, json: null };
  const body = (bodyOf(h, method) ?? h.rest).toString("utf8");
  let json: unknown = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    /* not JSON */
  }
  const errors = (json as { errors?: { code?: unknown }[] } | null)?.errors;
  const code = Array.isArray(errors) && typeof errors[0]?.code === "string" ? errors[0].code : null;
  return { status: h.status, headers: h.headers, body, code, json };
}

/** Sends raw bytes on a fresh connection and collects everything until the server closes it. */
export function rawExchange(port: number, bytes: string | Buffer, opts: { localAddress?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port, localAddress: opts.localAddress }, () => s.write(bytes));
    let out = "";
    s.setEncoding("utf8");
    s.on("data", (d) => (out += d));
    s.on("close", () => resolve(out));
    s.on("error", (err) => (out ? resolve(out) : reject(err)));
  });
}

/** Status and parsed JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; headers: string; body: { errors: { code: string; message: string }[] } } {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, headers: head, body: JSON.parse(rest.join("\r\n\r\n")) };
}
