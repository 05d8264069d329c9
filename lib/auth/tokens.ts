import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { SignJWT, jwtVerify, calculateJwkThumbprint, exportJWK, importJWK, type JWK, type CryptoKey } from "jose";
import { config, context, slot } from "../core/context";
import { credentialState } from "./credential-state";

/** One entry of the Docker token spec's `access` claim. */
export type AccessEntry = { type: string; name: string; actions: string[] };

export type AccessClaims = {
  sub: string;
  aud: string;
  access: AccessEntry[];
  exp: number;
  iat: number;
  /** The credential slot (password 1 or 2) the token was issued for. */
  cred: number;
  /** The `grants` fingerprint of that credential at issue (credential-state.ts); "" for anonymous. */
  fp: string;
};

type KeySet = { privateKey: CryptoKey; publicKey: CryptoKey; kid: string };

const ISSUER = "wharf";
const ALG = "ES256";

/** The ES256 signing key lives in the data dir, made on first use, readable only by us. */
async function loadOrCreateKeys(dir: string): Promise<KeySet> {
  const file = path.join(dir, "keys", "token-signing-key.json");
  let jwk: JWK;
  if (fs.existsSync(file)) {
    jwk = JSON.parse(fs.readFileSync(file, "utf8"));
  } else {
    const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    jwk = await exportJWK(privateKey);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Write then rename, so two processes starting together never read half a key.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(jwk), { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch {
      /* another process won the race: use its key */
    }
    fs.rmSync(tmp, { force: true });
    jwk = JSON.parse(fs.readFileSync(file, "utf8"));
  }
  const { d: _d, ...pub } = jwk;
  const kid = await calculateJwkThumbprint(pub);
  return {
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(pub, ALG)) as CryptoKey,
    kid,
  };
}

const signingKeys = slot("tokenKeys", (ctx) => loadOrCreateKeys(ctx.config.dataDir));

function keys(): Promise<KeySet> {
  return context().get(signingKeys);
}

/**
 * `fingerprint` is the credential's `grants` fingerprint read *before* the grants
 * were computed, so a change racing with the issue retires the token too.
 */
export async function issueAccessToken(input: {
  subject: string;
  audience: string;
  access: AccessEntry[];
  credential?: number;
  fingerprint?: string;
  ttlSeconds?: number;
}) {
  const { privateKey, kid } = await keys();
  const ttl = input.ttlSeconds ?? config().WHARF_TOKEN_TTL_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ access: input.access, cred: input.credential ?? 1, fp: input.fingerprint ?? "" })
    .setProtectedHeader({ alg: ALG, kid, typ: "JWT" })
    .setIssuer(ISSUER)
    .setSubject(input.subject)
    .setAudience(input.audience)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID())
    .sign(privateKey);
  return { token, expiresIn: ttl, issuedAt: new Date(now * 1000).toISOString() };
}

/**
 * ECDSA verification costs ~100 µs; clients reuse one token for many requests, so
 * remember verified signatures until they expire. The cache key is the whole token
 * string, so a tampered token is never a hit.
 */
const verifiedTokens = slot("verifiedTokens", () => new Map<string, AccessClaims>());

/**
 * The claims of a valid access token, or null. Valid means: signed by us for this
 * audience, not expired, and — unless anonymous — issued for a credential that is
 * still as it was (not disabled, rotated, reset or removed, and granting what it
 * granted). That last check reads credential-state's short-lived cache, so a
 * revocation bites within WHARF_REVOCATION_CACHE_SECONDS instead of the token TTL.
 */
export async function verifyAccessToken(token: string, audience: string): Promise<AccessClaims | null> {
  const claims = await verifySignature(token, audience);
  if (!claims || claims.sub === "anonymous") return claims;
  const state = claims.fp ? await credentialState(claims.sub, claims.cred) : null;
  return state && state.grants === claims.fp ? claims : null;
}

async function verifySignature(token: string, audience: string): Promise<AccessClaims | null> {
  const now = Math.floor(Date.now() / 1000);
  const verified = context().get(verifiedTokens);
  const hit = verified.get(token);
  if (hit) {
    if (hit.exp > now && hit.aud === audience) return hit;
    if (hit.exp <= now) verified.delete(token);
    return null;
  }
  try {
    const { publicKey } = await keys();
    // A token without an expiry would never stop working: we never issue one, so refuse it.
    const { payload } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience, algorithms: [ALG], requiredClaims: ["exp", "sub"] });
    const claims: AccessClaims = {
      sub: String(payload.sub ?? ""),
      aud: audience,
      access: Array.isArray(payload.access) ? (payload.access as AccessEntry[]) : [],
      exp: Number(payload.exp),
      iat: Number(payload.iat),
      cred: Number(payload.cred) || 1,
      fp: typeof payload.fp === "string" ? payload.fp : "",
    };
    if (verified.size > 50_000) verified.clear();
    verified.set(token, claims);
    return claims;
  } catch {
    return null;
  }
}

/** Actions the claims grant on one resource. */
export function grantedActions(claims: AccessClaims, type: string, name: string): Set<string> {
  const out = new Set<string>();
  for (const a of claims.access) {
    if (a.type === type && a.name === name) for (const act of a.actions) out.add(act);
  }
  return out;
}

/** Refresh tokens live at most three hours (as ACR's) and never pass as access tokens. */
export const REFRESH_TTL_SECONDS = 3 * 60 * 60;
const refreshAudience = (service: string) => `refresh:${service}`;

export type RefreshClaims = { sub: string; cred: number; fp: string };

/** `fp` fingerprints the credential used, so rotating or disabling it retires the refresh token. */
export async function issueRefreshToken(input: { subject: string; audience: string; credential: number; fingerprint: string }): Promise<string> {
  const { privateKey, kid } = await keys();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ cred: input.credential, fp: input.fingerprint })
    .setProtectedHeader({ alg: ALG, kid, typ: "JWT" })
    .setIssuer(ISSUER)
    .setSubject(input.subject)
    .setAudience(refreshAudience(input.audience))
    .setIssuedAt(now)
    .setExpirationTime(now + REFRESH_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(privateKey);
}

export async function verifyRefreshToken(token: string, audience: string): Promise<RefreshClaims | null> {
  try {
    const { publicKey } = await keys();
    const { payload } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience: refreshAudience(audience), algorithms: [ALG], requiredClaims: ["exp", "sub"] });
    if (typeof payload.sub !== "string" || typeof payload.fp !== "string") return null;
    return { sub: payload.sub, cred: Number(payload.cred) || 1, fp: payload.fp };
  } catch {
    return null;
  }
}
