import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccessClaims } from "../auth/tokens";
import type { Principal } from "../auth/principal";
import type { RepositoryRef } from "../core/names";

/** What a handler gets: the request, who is calling, and the repository it names. */
export type Ctx = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Base URL clients reach us on (for Location and Link headers). */
  base: string;
  /** The login server: token audience and `service` of challenges. */
  service: string;
  /** Registry from the Host header (host-style), or null (path-style). */
  hostRegistry: string | null;
  params: Record<string, string>;
  claims: AccessClaims;
  /** Who the token names, loaded on first use (null when it may no longer log in). */
  principal: () => Promise<Principal | null>;
  /** The caller's address (network rules, throttling). */
  clientIp: string;
  /** Set for routes that name a repository. */
  ref: RepositoryRef;
};

/** Writes an empty-bodied or small answer; `body` strings/buffers get a Content-Length. */
export function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
  if (body !== undefined && headers["Content-Length"] === undefined) headers["Content-Length"] = Buffer.byteLength(body);
  if (body === undefined && headers["Content-Length"] === undefined && status !== 204 && status !== 304) headers["Content-Length"] = 0;
  res.writeHead(status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string | number> = {}): void {
  send(res, status, { "Content-Type": "application/json; charset=utf-8", ...headers }, JSON.stringify(value));
}

export function repoUrl(ctx: Ctx, suffix: string): string {
  return `${ctx.base}/v2/${ctx.ref.fullName}/${suffix}`;
}
