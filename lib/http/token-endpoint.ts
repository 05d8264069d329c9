import type { IncomingMessage, ServerResponse } from "node:http";
import { noteCredentialUse } from "../auth/last-used";
import { isWharfError } from "../core/errors";
import { isValidRepositoryName, splitName } from "../core/names";
import { grantRepositoryScope } from "../auth/authorize";
import { networkDenial } from "../auth/network";
import {
  ANONYMOUS,
  basicLogin,
  credentialFingerprint,
  credentialOf,
  principalFromSubject,
  subjectOf,
  type Principal,
} from "../auth/principal";
import { registryPolicy, type RegistryPolicy } from "../auth/registry-policy";
import { throttleAnonymous, throttleHeaders } from "../auth/throttle";
import { loadCredentialState } from "../auth/credential-state";
import { isLoginRefusal, type LoginRefusal } from "../auth/login-guard";
import { notePrincipal, requestRecord } from "./access-log";
import { emitEventNow } from "../registry/events";
import { countGrouped } from "../registry/usage-stats";
import { logger } from "../core/logging";
import { issueAccessToken, issueRefreshToken, verifyRefreshToken, type AccessEntry } from "../auth/tokens";

export type AccessRequest = { type: string; name: string; actions: string[] };

export type TokenRequestContext = {
  /** The login server the client named: token audience and expected `service`. */
  loginServer: string;
  /** Registry from the Host header (host-style), or null (path-style). */
  hostRegistry: string | null;
  clientIp: string;
};

/**
 * The Docker token service at /oauth2/token.
 *   GET  ?service=…&scope=repository:<name>:pull,push (repeatable), HTTP Basic or no
 *        credentials (anonymous); offline_token=true adds a refresh token
 *   POST form grant_type=password (username, password) or grant_type=refresh_token
 *        (refresh_token), with service and scope: the OAuth2 flow `docker login` uses
 * Grants what was asked ∩ what the principal may do; asking for too much is never an
 * error. Wrong credentials are refused even when anonymous pull would allow pulling.
 */
export async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, ctx: TokenRequestContext): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  const { loginServer } = ctx;
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname !== "/oauth2/token") return sendJson(res, 404, oci("UNSUPPORTED", "Unknown token endpoint; use /oauth2/token."));

  let username: string | null = null;
  let password: string | null = null;
  let refreshToken: string | null = null;
  let offline = false;
  let service: string | null;
  let scopes: string[];
  if (req.method === "GET") {
    service = url.searchParams.get("service");
    scopes = url.searchParams.getAll("scope").flatMap((s) => s.split(" "));
    offline = url.searchParams.get("offline_token") === "true";
    const basic = parseBasic(req.headers.authorization);
    if (basic === "malformed") return unauthorized(res, "The Authorization header is not valid HTTP Basic credentials.");
    if (basic) ({ username, password } = basic);
  } else if (req.method === "POST") {
    const form = await readForm(req);
    if (!form) return sendJson(res, 400, oauthError("invalid_request", "Send an application/x-www-form-urlencoded body of at most 64 KiB."));
    const grant = form.get("grant_type");
    if (grant === "password") {
      username = form.get("username") ?? "";
      password = form.get("password") ?? "";
      offline = form.get("access_type") === "offline";
    } else if (grant === "refresh_token") {
      refreshToken = form.get("refresh_token") ?? "";
      offline = true;
    } else {
      return sendJson(res, 400, oauthError("unsupported_grant_type", `grant_type '${grant ?? ""}' is not supported; use password or refresh_token.`));
    }
    service = form.get("service");
    scopes = form.getAll("scope").flatMap((s) => s.split(" "));
  } else {
    res.setHeader("Allow", "GET, POST");
    return sendJson(res, 405, oci("UNSUPPORTED", "Use GET (HTTP Basic) or POST (OAuth2 form) on /oauth2/token."));
  }

  if (service && service !== loginServer) {
    return sendJson(res, 400, oci("UNSUPPORTED", `This token service issues tokens for service '${loginServer}', not '${service}'. Log in to ${loginServer}.`));
  }

  // Authenticate: a refresh token, credentials, or nobody (anonymous).
  let principal: Principal;
  let credential = 1;
  if (refreshToken !== null) {
    const rc = refreshToken ? await verifyRefreshToken(refreshToken, loginServer) : null;
    if (!rc) {
      await recordTokenFailure(ctx, "refresh-token", scopes);
      return unauthorized(res, `The refresh token is invalid or expired. Log in again (docker login ${loginServer}).`);
    }
    const now = await credentialFingerprint(rc.sub, rc.cred);
    const p = now === rc.fp ? await principalFromSubject(rc.sub) : null;
    if (!p) return unauthorized(res, `The credential behind this refresh token was changed, disabled or removed. Log in again (docker login ${loginServer}).`);
    principal = p;
    credential = rc.cred;
  } else if (username !== null) {
    const p = username && password ? await basicLogin(username, password, ctx.clientIp) : null;
    if (isLoginRefusal(p)) return tooManyLogins(res, p, ctx.clientIp, username);
    if (!p) await recordTokenFailure(ctx, username, scopes);
    if (!p) return unauthorized(res, "The username or password is incorrect, or the credential is disabled or expired. Check them and log in again.");
    principal = p;
    credential = credentialOf(p);
  } else {
    const t = await throttleAnonymous(ctx.clientIp);
    if (!t.allowed) {
      for (const [k, v] of Object.entries(throttleHeaders(t))) res.setHeader(k, v);
      const record = requestRecord(res);
      if (record) record.limit = "anonymous";
      return sendJson(res, 429, oci("TOOMANYREQUESTS", `Too many anonymous requests from ${ctx.clientIp}. Retry in ${t.resetSeconds} s, or log in.`));
    }
    principal = ANONYMOUS;
  }

  notePrincipal(res, principal);

  // What the credential is now, read before the grants: a change made while this
  // request runs then retires the token it gets (tokens.ts).
  const subject = subjectOf(principal);
  const state = await loadCredentialState(subject, credential);
  if (!state) return unauthorized(res, "The credential was disabled or removed a moment ago. Check it and log in again.");

  // Registries this request touches, read fresh: a settings change is live for the next token.
  const policies = new Map<string, RegistryPolicy | null>();
  const policy = async (name: string) => {
    if (!policies.has(name)) policies.set(name, await registryPolicy(name, { fresh: true }));
    return policies.get(name)!;
  };
  const boundTo = ctx.hostRegistry ?? (principal.kind === "admin" || principal.kind === "token" ? principal.registry : null);
  if (boundTo) {
    const reg = await policy(boundTo);
    const denial = reg && networkDenial(reg, ctx.clientIp);
    if (denial) return sendJson(res, 403, oci("DENIED", denial));
  }

  const access: AccessEntry[] = [];
  for (const request of parseScopes(scopes)) {
    if (request.type === "registry") {
      // The catalog is filtered per caller when listed; it is never anonymous. Its one
      // action is "*" (Docker token spec); asking for another grants nothing.
      if (principal.kind !== "anonymous" && request.actions.includes("*")) access.push({ type: "registry", name: "catalog", actions: ["*"] });
      continue;
    }
    let ref;
    try {
      ref = splitName(request.name, ctx.hostRegistry);
    } catch (err) {
      if (isWharfError(err)) continue; // an invalid name is granted nothing
      throw err;
    }
    const reg = await policy(ref.registry);
    const denial = reg && networkDenial(reg, ctx.clientIp);
    if (denial) return sendJson(res, 403, oci("DENIED", denial));
    // An unknown registry is judged by organisation-wide grants only, so those who
    // may see everything learn NAME_UNKNOWN and others learn nothing.
    const target = reg ?? { id: "", name: ref.registry, sku: "Basic", anonymousPullEnabled: false, resourceGroup: null };
    const actions = await grantRepositoryScope(principal, target, ref.repository, request.actions);
    if (actions.length) access.push({ type: "repository", name: request.name, actions });
  }

  countTokenGrant(principal, [...policies.values()], ctx);
  noteCredentialUse(principal);
  const fingerprint = principal.kind === "anonymous" ? "" : state.grants;
  const { token, expiresIn, issuedAt } = await issueAccessToken({ subject, audience: loginServer, access, credential, fingerprint });
  const body: Record<string, unknown> = { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt };
  if (offline && principal.kind !== "anonymous") {
    body.refresh_token = await issueRefreshToken({ subject, audience: loginServer, credential, fingerprint: state.credential });
  }
  sendJson(res, 200, body);
}

/**
 * Token grants happen on every docker/podman command: counted per registry, principal and hour (usage-stats.ts),
 * never written per request. A token touching no registry (a bare `docker login`) counts at organisation level.
 */
function countTokenGrant(principal: Principal, registries: (RegistryPolicy | null)[], ctx: TokenRequestContext): void {
  const actor = principal.kind === "anonymous" ? "anonymous" : principal.name;
  const known = registries.filter((r): r is RegistryPolicy => !!r);
  if (!known.length) return countGrouped({ action: "token", actor, target: ctx.loginServer, registryId: null, address: ctx.clientIp });
  for (const r of known) countGrouped({ action: "token", actor, target: r.name, registryId: r.id, address: ctx.clientIp });
}

/**
 * A refused credential: one activity row each (the login guard's failure budgets bound how many), with the
 * address and the scopes asked. Recording must not turn the 401 into a 500, so a failed write is only logged.
 */
async function recordTokenFailure(ctx: TokenRequestContext, who: string, scopes: string[]): Promise<void> {
  try {
    const asked = parseScopes(scopes);
    const first = asked.find((a) => a.type === "repository");
    let registryName = ctx.hostRegistry;
    if (!registryName && first) registryName = first.name.split("/")[0];
    const reg = registryName ? await registryPolicy(registryName) : null;
    await emitEventNow({
      actor: who.slice(0, 256) || "anonymous",
      action: "token",
      result: "failed",
      target: reg?.name ?? ctx.loginServer,
      registryId: reg?.id ?? null,
      address: ctx.clientIp,
      after: { scopes: scopes.slice(0, 20) },
    });
  } catch (err) {
    logger().error({ err }, "could not record a failed token request in the activity log");
  }
}

/** 429 for a refused login: which budget was spent (or that too many checks wait), and when to retry. */
function tooManyLogins(res: ServerResponse, refusal: LoginRefusal, clientIp: string, username: string): void {
  const s = refusal.retryAfterSeconds;
  const message =
    refusal.refused === "address"
      ? `Too many failed logins from ${clientIp}. Retry in ${s} s with the right credentials.`
      : refusal.refused === "username"
        ? `Too many failed logins for '${username.slice(0, 64)}'. Retry in ${s} s with the right credentials.`
        : `Too many logins are being checked right now. Retry in ${s} s.`;
  res.setHeader("Retry-After", String(s));
  sendJson(res, 429, oci("TOOMANYREQUESTS", message));
}

/**
 * `repository:<name>:<a,b>`, `repository(plugin):<name>:<a>`, `registry:catalog:*`.
 * Malformed scopes and invalid names are skipped (granted nothing).
 */
export function parseScopes(scopes: string[]): AccessRequest[] {
  const merged = new Map<string, AccessRequest>();
  for (const raw of scopes) {
    const s = raw.trim();
    const first = s.indexOf(":");
    const last = s.lastIndexOf(":");
    if (first <= 0 || last === first) continue;
    const type = s.slice(0, first).replace(/\(.*\)$/, "");
    const name = s.slice(first + 1, last);
    const actions = s.slice(last + 1).split(",").map((a) => a.trim()).filter(Boolean);
    if (!actions.length) continue;
    if (type === "repository" && !isValidRepositoryName(name)) continue;
    if (type === "registry" && name !== "catalog") continue;
    if (type !== "repository" && type !== "registry") continue;
    const key = `${type}\0${name}`;
    const prev = merged.get(key);
    merged.set(key, { type, name, actions: [...new Set([...(prev?.actions ?? []), ...actions])] });
  }
  return [...merged.values()];
}

function parseBasic(header: string | undefined): { username: string; password: string } | null | "malformed" {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return /^Basic/i.test(header) ? "malformed" : null;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > 64 * 1024) return null;
    parts.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(parts).toString("utf8"));
}

function oci(code: string, message: string) {
  return { errors: [{ code, message, detail: null }] };
}

function oauthError(error: string, description: string) {
  return { error, error_description: description, ...oci(error === "invalid_grant" ? "UNAUTHORIZED" : "UNSUPPORTED", description) };
}

function unauthorized(res: ServerResponse, message: string): void {
  res.setHeader("WWW-Authenticate", 'Basic realm="Wharf token service"');
  sendJson(res, 401, { ...oci("UNAUTHORIZED", message), error: "invalid_grant", error_description: message });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
