import crypto from "node:crypto";
import { config, context, slot } from "../core/context";
import { db } from "../core/db";
import { changeVersion } from "../registry/change-feed";
import { parsePasswordHash } from "./password";
import { assignmentHolders } from "./assignment-holders";

/**
 * What a principal's credential looks like right now, as two fingerprints, so a
 * signed token can be checked against the database without holding any secret:
 *
 * * `credential` changes when the credential is rotated, reset, disabled, expired
 *   or removed. Refresh tokens and portal sessions carry it.
 * * `grants` also changes when what the credential grants changes (a role
 *   assignment of the user or service principal, the token's scope map). Access
 *   tokens carry it, so a removed role stops a token issued before the change.
 *
 * Null: the principal can no longer log in at all.
 *
 * The data plane asks `credentialState`, which remembers an answer for
 * WHARF_REVOCATION_CACHE_SECONDS: the database is the source, so every node
 * converges within that time without messages; `forgetCredentialState` makes a
 * change immediate on the node that made it. On PostgreSQL the change feed makes
 * it immediate on every node: an answer is kept only while no credential table
 * changed since it was read (change-feed.ts; the expiry still applies when the
 * feed is down).
 */
export type CredentialState = { credential: string; grants: string };

const fp = (text: string) => crypto.createHash("sha256").update(text).digest("base64url").slice(0, 22);

/**
 * A person's password is identified by its salt: a rehash at a new cost keeps the
 * salt (credentials.ts), a reset makes a new one. So sessions survive the one and
 * end with the other.
 */
export function userCredentialFingerprint(userId: string, passwordHash: string): string {
  const parsed = parsePasswordHash(passwordHash);
  return fp(`user\0${userId}\0${parsed ? parsed.salt.toString("base64") : passwordHash}`);
}

const live = (expiry: Date | null | undefined, now: Date) => !expiry || expiry > now;

/** What the principal's roles grant, its groups' included: a membership or group role change changes the stamp. */
async function roleStamp(principalType: "user" | "servicePrincipal", principalId: string): Promise<string> {
  const holders = await assignmentHolders({ kind: principalType, id: principalId });
  const rows = await db().roleAssignment.findMany({ where: holders.where, select: { role: true, scope: true } });
  return rows.map((r) => `${r.role}@${r.scope}`).sort().join("\n");
}

/** Reads the state from the database (no cache). */
export async function loadCredentialState(sub: string, credential: number): Promise<CredentialState | null> {
  const [kind, id] = sub.split(/:(.*)/s);
  switch (kind) {
    case "anonymous":
      return { credential: "anonymous", grants: "anonymous" };
    case "user": {
      const u = await db().user.findUnique({ where: { id }, select: { id: true, disabled: true, passwordHash: true } });
      if (!u || u.disabled) return null;
      const c = userCredentialFingerprint(u.id, u.passwordHash);
      return { credential: c, grants: fp(`${c}\0${await roleStamp("user", u.id)}`) };
    }
    case "sp": {
      const s = await db().servicePrincipal.findUnique({ where: { id }, select: { id: true, disabled: true, secretHash: true } });
      if (!s || s.disabled) return null;
      const c = fp(s.secretHash);
      return { credential: c, grants: fp(`${c}\0${await roleStamp("servicePrincipal", s.id)}`) };
    }
    case "admin": {
      const r = await db().registry.findUnique({ where: { id } });
      const hash = credential === 2 ? r?.adminPassword2Hash : r?.adminPassword1Hash;
      if (!r?.adminUserEnabled || !hash) return null;
      return { credential: fp(hash), grants: fp(hash) };
    }
    case "token": {
      const t = await db().registryToken.findUnique({ where: { id }, include: { scopeMap: { select: { id: true, actions: true } } } });
      if (!t?.enabled) return null;
      const [hash, expiry] = credential === 2 ? [t.password2Hash, t.password2Expiry] : [t.password1Hash, t.password1Expiry];
      if (!hash || !live(expiry, new Date())) return null;
      const c = fp(hash);
      return { credential: c, grants: fp(`${c}\0${t.scopeMap.id}\0${t.scopeMap.actions}`) };
    }
    default:
      return null;
  }
}

type Remembered = { state: Promise<CredentialState | null>; until: number; version: number | null };
const remembered = slot("credentialStates", () => new Map<string, Remembered>());

/** The state, from memory when it was read less than WHARF_REVOCATION_CACHE_SECONDS ago. */
export function credentialState(sub: string, credential: number): Promise<CredentialState | null> {
  const ttlMs = config().WHARF_REVOCATION_CACHE_SECONDS * 1000;
  if (ttlMs <= 0) return loadCredentialState(sub, credential);
  const map = context().get(remembered);
  const key = `${credential}:${sub}`;
  const now = Date.now();
  const version = changeVersion("credentials");
  const hit = map.get(key);
  if (hit && hit.until > now && hit.version === version) return hit.state;
  // One read per key at a time: concurrent requests share it.
  const state = loadCredentialState(sub, credential);
  if (map.size > 50_000) map.clear();
  map.set(key, { state, until: now + ttlMs, version });
  state.catch(() => {
    if (map.get(key)?.state === state) map.delete(key);
  });
  return state;
}

/** Drops what this node remembers about a subject (all subjects when omitted). */
export function forgetCredentialState(sub?: string): void {
  const map = context().get(remembered);
  if (sub === undefined) return map.clear();
  for (const key of map.keys()) if (key.slice(key.indexOf(":") + 1) === sub) map.delete(key);
}
