import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { config } from "../core/context";
import { lazyPrincipal } from "../auth/data-plane-access";
import { networkDenial } from "../auth/network";
import { registryPolicy } from "../auth/registry-policy";
import { insufficientScopeMessage } from "../auth/refusal";
import { throttleAnonymous, throttleHeaders, throttleRegistry, type ThrottleResult } from "../auth/throttle";
import { logger } from "../core/logging";
import { requestRecord, trackRequest, type RequestRecord } from "./access-log";
import { clientAddress, fromTrustedProxy } from "./client-address";
import { handleTokenRequest } from "./token-endpoint";
import { grantedActions, verifyAccessToken, type AccessClaims } from "../auth/tokens";
import { splitName } from "../core/names";
import type { Ctx } from "./context";
import { sendJson } from "./context";
import { deleteBlob, getBlob } from "./handlers/blobs";
import { deleteManifest, getManifest, putManifest } from "./handlers/manifests";
import { listReferrers, listRepositories, listTags } from "./handlers/listings";
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from "./handlers/uploads";
import { sendError, sendOciError } from "./oci-errors";
import { hostRegistry, validHostHeader } from "./request";
import { matchRoute, type RouteName } from "./routes";

/** Paths the raw data-plane handler owns; everything else goes to the portal. */
export function isDataPlanePath(url: string | undefined): boolean {
  if (!url) return false;
  return url === "/v2" || url.startsWith("/v2/") || url.startsWith("/v2?") || url.startsWith("/oauth2/");
}

/** Base URL clients reach us on, from configuration or the request's Host header. */
export function publicBase(req: IncomingMessage): string {
  const configured = config().WHARF_PUBLIC_URL;
  if (configured && !hostRegistry(req)) return configured.replace(/\/+$/, "");
  // A TLS socket is HTTPS whatever a header says; behind a trusted proxy its X-Forwarded-Proto is believed.
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  const proto = encrypted || (configured?.startsWith("https:") ?? false) || (req.headers["x-forwarded-proto"] === "https" && fromTrustedProxy(req)) ? "https" : "http";
  return `${proto}://${req.headers.host ?? `localhost:${config().PORT}`}`;
}

/** The login server clients named: token audience and challenge `service`. */
export function loginServer(req: IncomingMessage): string {
  if (hostRegistry(req)) return req.headers.host!.toLowerCase();
  return hostOf(publicBase(req));
}

// Base URLs repeat on every request: parse each once.
const hosts = new Map<string, string>();
function hostOf(base: string): string {
  let host = hosts.get(base);
  if (host === undefined) {
    host = new URL(base).host;
    if (hosts.size > 1000) hosts.clear();
    hosts.set(base, host);
  }
  return host;
}

type Handler = (ctx: Ctx) => Promise<void>;
const HANDLERS: Record<Exclude<RouteName, "base" | "catalog">, Record<string, Handler>> = {
  tags: { GET: listTags },
  manifest: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: deleteManifest },
  uploadStart: { POST: startUpload },
  upload: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
  blob: { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob },
  referrers: { GET: listReferrers },
};

/**
 * The data plane: route, then validate the name's syntax (it leaks nothing),
 * then network rules, then authenticate + authorise from the Bearer token, then
 * spend the registry's operation budget, then run the handler. Existence checks
 * (NAME_UNKNOWN…) happen only after authorisation.
 */
export async function handleDataPlane(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
  const clientIp = clientAddress(req);
  const record = trackRequest(req, res, clientIp);
  try {
    if (!validHostHeader(req.headers.host)) {
      return sendOciError(req, res, "UNSUPPORTED", `The Host header '${String(req.headers.host).slice(0, 100)}' is not a host name or address with an optional port. Reach the registry by its name, e.g. registry.example.com:443.`, null, 400);
    }
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname.startsWith("/oauth2/")) {
      record.route = "token";
      noteTokenScope(record, url);
      return await handleTokenRequest(req, res, { loginServer: loginServer(req), hostRegistry: hostRegistry(req), clientIp });
    }

    const unsafe = unsafePath(req.url ?? "/");
    if (unsafe) return sendOciError(req, res, "NAME_INVALID", unsafe);
    const match = matchRoute(url.pathname);
    if (!match) {
      return sendOciError(req, res, "UNSUPPORTED", `No such endpoint: ${url.pathname}. See the OCI Distribution API (/v2/<name>/manifests/<reference>, /v2/<name>/blobs/<digest>, …).`, null, 404);
    }
    record.route = match.route.name;
    const method = req.method ?? "GET";
    const needed = match.route.methods[method];
    if (!needed) {
      res.setHeader("Allow", Object.keys(match.route.methods).join(", "));
      return sendOciError(req, res, "UNSUPPORTED", `${method} is not supported on ${url.pathname}.`, null, 405);
    }

    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.params)) {
      try {
        params[k] = decodeURIComponent(v);
      } catch {
        return sendOciError(req, res, "NAME_INVALID", `The URL path segment '${v}' is not valid percent-encoding.`);
      }
    }
    const hostReg = hostRegistry(req);
    const ref = params.name !== undefined ? splitName(params.name, hostReg) : null;
    const registryName = ref?.registry ?? hostReg;
    record.registry = registryName;
    record.repository = ref?.repository ?? null;

    // Network rules of the registry the request names: they say nothing about it
    // beyond "not from your address".
    const policy = registryName ? await registryPolicy(registryName) : null;
    if (policy) {
      const denial = networkDenial(policy, clientIp);
      if (denial) return sendOciError(req, res, "DENIED", denial);
    }

    const base = publicBase(req);
    const service = loginServer(req);
    // Clients ask for the scope a challenge names; they know pull and push, and the
    // token service adds metadata rights to those when the caller has them.
    const asked = [...new Set(needed.map((a) => (a === "metadata_read" ? "pull" : a === "metadata_write" ? "push" : a)))];
    const scope = ref ? `repository:${ref.fullName}:${asked.join(",")}` : match.route.name === "catalog" ? "registry:catalog:*" : null;
    const claims = await authenticate(req, service);
    record.subject = claims?.sub ?? null;
    // Callers without credentials spend their address's budget, never a registry's:
    // otherwise anyone who knows a registry's name could hold its users at 429.
    if (!claims || claims.sub === "anonymous") {
      const t = await throttleAnonymous(clientIp);
      if (!t.allowed) return tooMany(req, res, t, "anonymous", `Too many anonymous requests from ${clientIp}. Retry in ${t.resetSeconds} s, or log in.`);
    }
    if (!claims) return challenge(req, res, base, service, scope, null);
    if (ref || match.route.name === "catalog") {
      const [type, name] = ref ? ["repository", ref.fullName] : ["registry", "catalog"];
      const granted = grantedActions(claims, type, name);
      if (!granted.has("*") && !needed.every((a) => granted.has(a))) {
        return challenge(req, res, base, service, scope, "insufficient_scope", insufficientScopeMessage(ref, scope, needed, granted));
      }
    }
    // Only requests the registry lets in (credentials, or anonymous pull) spend its operation limits.
    if (policy) {
      const readOnly = method === "GET" || method === "HEAD";
      const t = await throttleRegistry(policy, readOnly ? "read" : "write");
      if (!t.allowed) return tooMany(req, res, t, readOnly ? "registry_read" : "registry_write", `Registry ${policy.name} is over its ${readOnly ? "read" : "write"} limit of ${t.limit} operations per minute (${policy.sku} SKU). Retry in ${t.resetSeconds} s, or move to a higher SKU.`);
    }

    if (match.route.name === "base") return sendJson(res, 200, {});
    const ctxBase = { req, res, url, base, service, hostRegistry: hostReg, params, claims, principal: lazyPrincipal(claims.sub), clientIp };
    if (match.route.name === "catalog") return await listRepositories(ctxBase);
    await HANDLERS[match.route.name][method]({ ...ctxBase, ref: ref! });
  } catch (err) {
    sendError(req, res, err);
  }
}

/**
 * Paths a normalising URL parser would rewrite ('..', '.', their %2e forms) or
 * whose name hides a '/' or a backslash (%2f, %5c) are refused as they came: a path
 * must name the repository it acts on, as written, for every proxy and rule
 * that judges it on the way.
 */
export function unsafePath(rawUrl: string): string | null {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (!/%2[ef]|%5c|\\|\/\.\.?(?:\/|$)/i.test(path)) return null;
  return `The path '${path}' contains '.' or '..' segments, or an encoded '.', '/' or '\\'. Repository names are lower-case components joined by '/', sent as they are: e.g. /v2/<registry>/<repository>/tags/list.`;
}

/** The token endpoint's GET scope names the repository a login is for; POST forms are not read here. */
function noteTokenScope(record: RequestRecord, url: URL): void {
  const scope = url.searchParams.get("scope");
  if (!scope?.startsWith("repository:")) return;
  const name = scope.slice("repository:".length, scope.lastIndexOf(":"));
  const slash = name.indexOf("/");
  if (slash > 0) [record.registry, record.repository] = [name.slice(0, slash), name.slice(slash + 1)];
}

function tooMany(req: IncomingMessage, res: ServerResponse, t: ThrottleResult, limit: string, message: string): void {
  const record = requestRecord(res);
  if (record) record.limit = limit;
  for (const [k, v] of Object.entries(throttleHeaders(t))) res.setHeader(k, v);
  sendOciError(req, res, "TOO_MANY_REQUESTS", message);
}

async function authenticate(req: IncomingMessage, service: string): Promise<AccessClaims | null> {
  const h = req.headers.authorization;
  if (!h || h.length < 8 || h.slice(0, 7).toLowerCase() !== "bearer ") return null;
  return verifyAccessToken(h.slice(7).trim(), service);
}

function challenge(req: IncomingMessage, res: ServerResponse, base: string, service: string, scope: string | null, error: string | null, refusal?: string): void {
  let value = `Bearer realm="${base}/oauth2/token",service="${service}"`;
  if (scope) value += `,scope="${scope}"`;
  if (error) value += `,error="${error}"`;
  res.setHeader("WWW-Authenticate", value);
  logger().debug({ reqId: requestRecord(res)?.id, scope, error: error ?? "no credentials" }, "challenged: the request needs a token with this scope");
  const message = refusal ?? `Authentication required: log in first (docker login ${service}).`;
  sendOciError(req, res, "UNAUTHORIZED", message, scope ? [{ Type: scope.split(":")[0], Name: scope.split(":").slice(1, -1).join(":"), Action: scope.split(":").pop() }] : null);
}
