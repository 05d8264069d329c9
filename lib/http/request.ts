import type { IncomingMessage } from "node:http";
import { config } from "../core/context";
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
  return /^[a-z0-9]{5,50}$/.test(label) ? label : null;
}

/** Parses a non-negative page size `n`; null when absent. */
export function pageSize(v: string | null): number | null | "invalid" {
  if (v === null || v === "") return null;
  if (!/^\d+$/.test(v)) return "invalid";
  return Math.min(Number(v), 10_000);
}
