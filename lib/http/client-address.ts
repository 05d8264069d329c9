import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import { context, slot } from "../core/context";

type Trust = (address: string, hop: number) => boolean;

// WHARF_TRUST_PROXY compiled once per context; null when no proxy is trusted.
const trustSlot = slot<Trust | null>("trustedProxies", (ctx) => (ctx.config.WHARF_TRUST_PROXY.length ? proxyaddr.compile(ctx.config.WHARF_TRUST_PROXY) : null));

/**
 * The caller's address, the one answer used by /v2, /oauth2 and the portal.
 * X-Forwarded-For is read from the right (the hop our proxy appended) and only
 * while each hop is a trusted proxy: the first untrusted hop is the client. An
 * entry the client wrote itself lies left of that hop and is never believed.
 */
export function clientAddress(req: IncomingMessage): string {
  const trust = context().get(trustSlot);
  const address = trust ? proxyaddr(req, trust) : req.socket.remoteAddress;
  return address ? plainAddress(address) : "unknown";
}

/**
 * The portal learns the caller's address from x-wharf-client-ip, which only we
 * set: any value a client sent under that name is removed (from the raw headers
 * too, which some frameworks read) before ours is put in.
 */
export function setPortalClientAddress(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === PORTAL_HEADER) raw.splice(i, 2);
  const address = clientAddress(req);
  req.headers[PORTAL_HEADER] = address;
  raw.push(PORTAL_HEADER, address);
}
const PORTAL_HEADER = "x-wharf-client-ip";

/** Is the peer of this connection one of our trusted proxies (so its X-Forwarded-* headers count)? */
export function fromTrustedProxy(req: IncomingMessage): boolean {
  const trust = context().get(trustSlot);
  const peer = req.socket.remoteAddress;
  return !!trust && !!peer && trust(peer, 0);
}

/** IPv4-mapped IPv6 ("::ffff:10.1.2.3", how dual-stack sockets report IPv4 peers) → "10.1.2.3". */
export function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
