import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config";

/** Paths the raw data-plane handler owns; everything else goes to the portal. */
export function isDataPlanePath(url: string | undefined): boolean {
  if (!url) return false;
  return url === "/v2" || url.startsWith("/v2/") || url.startsWith("/v2?") || url.startsWith("/oauth2/");
}

/** Base URL clients reach us on, from configuration or the request's Host header. */
export function publicBase(req: IncomingMessage): string {
  const configured = config().WHARF_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const proto = config().WHARF_TRUST_PROXY && req.headers["x-forwarded-proto"] === "https" ? "https" : "http";
  return `${proto}://${req.headers.host ?? `localhost:${config().PORT}`}`;
}

export async function handleDataPlane(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
  const base = publicBase(req);
  const service = new URL(base).host;
  res.statusCode = 401;
  res.setHeader("WWW-Authenticate", `Bearer realm="${base}/oauth2/token",service="${service}"`);
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail: null }] }));
}
