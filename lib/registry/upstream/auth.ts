import crypto from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { context, slot } from "../../core/context";
import { UpstreamError } from "./errors";
import { isInsecureHost, readBody, send } from "./http";

/**
 * Authentication an upstream asks for in its 401 challenge: Basic, or the Docker token flow (Bearer with a
 * realm). What each host asked for and the tokens it issued are remembered in this process, tokens until just
 * before they expire: memory may be wrong (a token revoked early), which costs one more 401 and a fresh token.
 */

export type UpstreamCredentials = { username: string; password: string };
export type Challenge = { scheme: "basic" } | { scheme: "bearer"; realm: string; service?: string };

type Memory = { challenges: Map<string, Challenge>; tokens: Map<string, { token: string; expiresAt: number }> };
const memory = slot<Memory>("upstreamAuth", () => ({ challenges: new Map(), tokens: new Map() }));
const MAX_TOKENS = 10_000;

export function parseChallenge(header: IncomingHttpHeaders["www-authenticate"]): Challenge | null {
  const value = Array.isArray(header) ? header.join(", ") : header;
  if (!value) return null;
  const m = /^\s*(\w+)\s*(.*)$/.exec(value);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme === "basic") return { scheme: "basic" };
  if (scheme !== "bearer") return null;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? "";
  if (!params.realm) return null;
  return { scheme: "bearer", realm: params.realm, ...(params.service ? { service: params.service } : {}) };
}

export function rememberedChallenge(host: string): Challenge | undefined {
  return context().get(memory).challenges.get(host);
}

export function rememberChallenge(host: string, c: Challenge): void {
  context().get(memory).challenges.set(host, c);
}

export function basicHeader(c: UpstreamCredentials): string {
  return "Basic " + Buffer.from(`${c.username}:${c.password}`).toString("base64");
}

function tokenKey(host: string, c: Extract<Challenge, { scheme: "bearer" }>, scope: string, creds: UpstreamCredentials | null): string {
  // Keyed by a hash of the credentials, so two credential sets never share a token and no password sits in a key.
  const who = creds ? crypto.createHash("sha256").update(`${creds.username}\0${creds.password}`).digest("hex").slice(0, 32) : "anonymous";
  return `${host}|${c.realm}|${c.service ?? ""}|${scope}|${who}`;
}

export function forgetToken(host: string, c: Extract<Challenge, { scheme: "bearer" }>, scope: string, creds: UpstreamCredentials | null): void {
  context().get(memory).tokens.delete(tokenKey(host, c, scope, creds));
}

/** A bearer token for `scope` (empty: no repository, as `docker login` asks), from memory or the realm. */
export async function bearerToken(
  host: string,
  c: Extract<Challenge, { scheme: "bearer" }>,
  scope: string,
  creds: UpstreamCredentials | null,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const mem = context().get(memory);
  const key = tokenKey(host, c, scope, creds);
  const cached = mem.tokens.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.token;

  let realm: URL;
  try {
    realm = new URL(c.realm);
  } catch {
    throw new UpstreamError("bad_answer", host, `${host} named a token service that is not a URL (${c.realm}); the upstream is misconfigured.`);
  }
  // A password goes over plain HTTP only where the operator allowed plain HTTP.
  if (realm.protocol !== "https:" && !(realm.protocol === "http:" && (isInsecureHost(realm.host) || isInsecureHost(host)))) {
    throw new UpstreamError("bad_answer", host, `${host} sends clients to a token service over plain HTTP (${realm.host}); list it in WHARF_INSECURE_REGISTRIES if that is intended.`);
  }
  if (c.service) realm.searchParams.set("service", c.service);
  if (scope) realm.searchParams.set("scope", scope);
  const res = await send(realm, { headers: creds ? { authorization: basicHeader(creds) } : {}, timeoutMs, signal }, host);
  const body = await readBody(res, 1 << 20, host);
  if (res.status === 401 || res.status === 403) {
    throw new UpstreamError(
      "unauthorized",
      host,
      creds
        ? `${host} refused the username '${creds.username}' and its password (token service answered ${res.status}); check them and try again.`
        : `${host} needs a username and password for this content; give credentials and try again.`,
      res.status,
      upstreamWords(body),
    );
  }
  if (res.status === 429) throw rateLimited(host, res.headers, res.status);
  if (res.status !== 200) {
    throw new UpstreamError("bad_answer", host, `${host}'s token service answered ${res.status}; try again later.`, res.status, upstreamWords(body));
  }
  let parsed: { token?: string; access_token?: string; expires_in?: number };
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new UpstreamError("bad_answer", host, `${host}'s token service answered with something that is not JSON.`, res.status);
  }
  const token = parsed.token || parsed.access_token;
  if (!token) throw new UpstreamError("bad_answer", host, `${host}'s token service answered without a token.`, res.status);
  // The spec's default lifetime is 60 s; keep a margin so a token never expires on the way.
  const lifetime = Math.max(0, (Number(parsed.expires_in) || 60) - 10) * 1000;
  if (mem.tokens.size >= MAX_TOKENS) mem.tokens.clear();
  mem.tokens.set(key, { token, expiresAt: Date.now() + lifetime });
  return token;
}

export function rateLimited(host: string, headers: IncomingHttpHeaders, status: number): UpstreamError {
  const after = Number(headers["retry-after"]);
  const seconds = Number.isFinite(after) && after >= 0 ? after : null;
  return new UpstreamError(
    "rate_limited",
    host,
    `${host} is limiting requests (429)${seconds !== null ? `; it asks to retry after ${seconds} s` : ""}. Try again later, or use credentials with a higher limit.`,
    status,
    null,
    seconds,
  );
}

/** The upstream's own message from an OCI error body, if any. */
export function upstreamWords(body: Buffer): string | null {
  try {
    const e = JSON.parse(body.toString("utf8")) as { errors?: { code?: string; message?: string }[]; details?: string; error?: string };
    const first = e.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(": ").slice(0, 300);
    return (e.details ?? e.error ?? null)?.slice(0, 300) ?? null;
  } catch {
    const t = body.toString("utf8").trim();
    return t ? t.slice(0, 200) : null;
  }
}
