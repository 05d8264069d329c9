import fs from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import tls from "node:tls";
import { config, context, slot } from "../../core/context";
import { UpstreamError } from "./errors";
import { checkLiteralHost, EgressDenied, egressLookup } from "../../core/egress";

/**
 * One HTTP exchange with an upstream: HTTPS with the system's CAs (plain HTTP only for hosts listed in
 * WHARF_INSECURE_REGISTRIES), a timeout on waiting for the answer and on each pause in its body, and
 * redirects followed (blob storage such as S3) without the Authorization header once the origin changes.
 */

export type UpstreamResponse = { status: number; headers: IncomingHttpHeaders; body: IncomingMessage; url: URL };
export type SendOptions = { method?: "GET" | "HEAD"; headers?: Record<string, string>; timeoutMs: number; signal?: AbortSignal };

const MAX_REDIRECTS = 5;

/** The bundled CAs plus the system's (Debian keeps them in one file; SSL_CERT_FILE overrides, as for OpenSSL). */
function systemCas(): string[] {
  const file = process.env.SSL_CERT_FILE || "/etc/ssl/certs/ca-certificates.crt";
  try {
    return [...tls.rootCertificates, fs.readFileSync(file, "utf8")];
  } catch {
    return [...tls.rootCertificates];
  }
}

const agents = slot(
  "upstreamAgents",
  () => ({ http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32, ca: systemCas() }) }),
  (a) => {
    a.http.destroy();
    a.https.destroy();
  },
);

/** Every connection to an upstream (redirect targets too) resolves through the outbound policy. */
const upstreamLookup = egressLookup(() => config().egress);

export function isInsecureHost(host: string): boolean {
  return config().WHARF_INSECURE_REGISTRIES.includes(host.toLowerCase());
}

export function baseUrl(host: string): string {
  return `${isInsecureHost(host) ? "http" : "https"}://${host}`;
}

function failureOf(err: NodeJS.ErrnoException, host: string, url: URL): UpstreamError {
  if (err instanceof EgressDenied) return new UpstreamError("unreachable", host, err.message);
  const code = err.code ?? "";
  if (/CERT|SSL|TLS|DEPTH_ZERO|SELF_SIGNED/.test(code) || /wrong version number|ssl/i.test(err.message)) {
    return new UpstreamError(
      "unreachable",
      host,
      `${host} did not complete a trusted HTTPS connection (${code || err.message}). If it serves plain HTTP, list it in WHARF_INSECURE_REGISTRIES; if it uses a private CA, add the CA to the system's certificates.`,
    );
  }
  return new UpstreamError("unreachable", host, `${host} could not be reached (${code || err.message} for ${url.host}); check the name, the port and that it is up, then try again.`);
}

function once(url: URL, opts: SendOptions, host: string): Promise<UpstreamResponse> {
  const a = context().get(agents);
  const mod = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    try {
      checkLiteralHost(config().egress, url.hostname);
    } catch (err) {
      return reject(failureOf(err as NodeJS.ErrnoException, host, url));
    }
    const req = mod.request(url, { method: opts.method ?? "GET", headers: opts.headers, agent: url.protocol === "https:" ? a.https : a.http, signal: opts.signal, lookup: upstreamLookup });
    const timer = setTimeout(() => {
      req.destroy(new UpstreamError("timeout", host, `${host} did not answer within ${Math.round(opts.timeoutMs / 1000)} s; it may be down or overloaded. Try again later.`));
    }, opts.timeoutMs);
    req.once("response", (res) => {
      clearTimeout(timer);
      // A body that stalls longer than the timeout fails the reader instead of hanging it.
      res.setTimeout(opts.timeoutMs, () =>
        res.destroy(new UpstreamError("timeout", host, `${host} stopped sending for ${Math.round(opts.timeoutMs / 1000)} s in the middle of an answer; try again.`)),
      );
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
    });
    req.once("error", (err) => {
      clearTimeout(timer);
      reject(err instanceof UpstreamError ? err : (err as Error).name === "AbortError" ? err : failureOf(err as NodeJS.ErrnoException, host, url));
    });
    req.end();
  });
}

export async function send(url: URL, opts: SendOptions, host: string): Promise<UpstreamResponse> {
  let current = url;
  let headers = { ...(opts.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    const res = await once(current, { ...opts, headers }, host);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    res.body.resume();
    if (hop >= MAX_REDIRECTS) throw new UpstreamError("bad_answer", host, `${host} redirected more than ${MAX_REDIRECTS} times for ${url.pathname}; the upstream is misconfigured.`, res.status);
    const next = new URL(location, current);
    if (next.protocol === "http:" && url.protocol === "https:" && !isInsecureHost(next.host)) {
      throw new UpstreamError("bad_answer", host, `${host} redirected to plain HTTP (${next.host}); list that host in WHARF_INSECURE_REGISTRIES if it is trusted.`, res.status);
    }
    // Credentials for the registry are not for its storage.
    if (next.origin !== current.origin) {
      const { authorization: _a, Authorization: _b, ...rest } = headers as Record<string, string>;
      headers = rest;
    }
    current = next;
  }
}

/** Reads a small answer whole (manifests, tokens, error bodies), refusing one larger than `limit`. */
export async function readBody(res: UpstreamResponse, limit: number, host: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.body.destroy();
      throw new UpstreamError("bad_answer", host, `${host} sent more than ${limit} bytes for ${res.url.pathname}; that is too large for a manifest or token.`, res.status);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
