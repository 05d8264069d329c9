import net from "node:net";
import type { IncomingMessage } from "node:http";
import { config } from "../core/context";
import { REGISTRY_NAME_PATTERN } from "../core/registry-rules";
import { manifestTooLarge } from "../core/errors";

/** Does the request carry a body (a final chunk, a monolithic upload)? */
export function hasBody(req: IncomingMessage): boolean {
  const len = req.headers["content-length"];
  if (len !== undefined) return Number(len) > 0;
  return req.headers["transfer-encoding"] !== undefined;
}

export function contentLength(req: IncomingMessage): number | undefined {
  const len = req.headers["content-length"];
  if (len === undefined || !/^\d+$/.test(len)) return undefined;
  return Number(len);
}

/** Reads a small body whole, refusing more than `max` bytes without reading them all. */
export async function readBounded(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = contentLength(req);
  const tooLarge = () =>
    manifestTooLarge(`The manifest is larger than ${max} bytes (the limit). Reduce it, e.g. split a very large index.`, { limit: max });
  if (declared !== undefined && declared > max) throw tooLarge();
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) throw tooLarge();
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Host-style addressing: with WHARF_REGISTRY_DOMAIN=example.com, Host
 * `contoso.example.com` means registry `contoso` and bare repository names.
 */
export function hostRegistry(req: IncomingMessage): string | null {
  const domain = config().WHARF_REGISTRY_DOMAIN;
  const host = req.headers.host?.toLowerCase();
  if (!domain || !host) return null;
  const withPort = domain.includes(":");
  const h = withPort ? host : host.replace(/:\d+$/, "");
  if (!h.endsWith(`.${domain}`)) return null;
  const label = h.slice(0, -domain.length - 1);
  return REGISTRY_NAME_PATTERN.test(label) ? label : null;
}

const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

/**
 * Whether a Host header is `host[:port]` as RFC 9112 §3.2 allows: a DNS name or
 * IPv4 address, or a bracketed IPv6 address, and a port up to 65535. Anything
 * else (user info, a path, escapes, spaces) is refused before it reaches a token
 * realm or an audience.
 */
export function validHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return false;
  if (m[2] !== undefined && Number(m[2]) > 65535) return false;
  const name = m[1];
  if (name.startsWith("[")) return net.isIPv6(name.slice(1, -1));
  return HOST_NAME.test(name);
}

/** Parses a non-negative page size `n`; null when absent. */
export function pageSize(v: string | null): number | null | "invalid" {
  if (v === null || v === "") return null;
  if (!/^\d+$/.test(v)) return "invalid";
  return Math.min(Number(v), 10_000);
}
