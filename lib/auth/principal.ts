import crypto from "node:crypto";
import { db } from "../core/db";
import { loadCredentialState } from "./credential-state";
import { checkUserPassword } from "./credentials";
import { guardedPasswordCheck, isLoginRefusal, loginBlock, type LoginRefusal } from "./login-guard";
import { sha256Hex } from "./password";

/** Who is acting. Registry-bound principals (admin user, token) reach only their registry. */
export type Principal =
  | { kind: "user"; id: string; name: string }
  | { kind: "servicePrincipal"; id: string; name: string }
  | { kind: "admin"; registryId: string; registry: string; name: string; credential: 1 | 2 }
  | { kind: "token"; id: string; registryId: string; registry: string; name: string; credential: 1 | 2 }
  | { kind: "anonymous" };

export const ANONYMOUS: Principal = { kind: "anonymous" };

/** The JWT `sub` for a principal; `principalFromSubject` reverses it. */
export function subjectOf(p: Principal): string {
  switch (p.kind) {
    case "user":
      return `user:${p.id}`;
    case "servicePrincipal":
      return `sp:${p.id}`;
    case "admin":
      return `admin:${p.registryId}`;
    case "token":
      return `token:${p.id}`;
    case "anonymous":
      return "anonymous";
  }
}

export function displayName(p: Principal): string {
  return p.kind === "anonymous" ? "anonymous" : p.name;
}

const hashEq = (a: string | null | undefined, b: string) =>
  !!a && a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

const live = (expiry: Date | null | undefined, now: Date) => !expiry || expiry > now;

/**
 * Checks HTTP Basic credentials against every kind of principal that can log in
 * with docker: registry admin user (username = registry name), service principal
 * (username = client id), repository-scoped token (username = token name) and
 * portal user. Names may collide across kinds; the password decides.
 * Unguarded: a request from the network goes through basicLogin instead.
 */
/** No stored name can hold a NUL (PostgreSQL's text refuses it, so looking one up would fail, not miss). */
const impossibleName = (username: string) => username.includes("\u0000");

export async function authenticateBasic(username: string, password: string): Promise<Principal | null> {
  if (!username || !password || username.length > 256 || password.length > 1024 || impossibleName(username)) return null;
  const machine = await authenticateMachine(username.trim(), password);
  if (machine) return machine;
  const user = await checkUserPassword(username.trim().toLowerCase(), password);
  return user && { kind: "user", id: user.id, name: user.username };
}

/**
 * authenticateBasic behind the login guard (/oauth2/token). Machine secrets are
 * checked first (cheap); a person's password only within the failure budgets of
 * the address and the username and while the hash queue has room. Otherwise the
 * answer is a refusal, and nothing was hashed.
 */
export async function basicLogin(username: string, password: string, clientAddress: string): Promise<Principal | LoginRefusal | null> {
  if (!username || !password || username.length > 256 || password.length > 1024 || impossibleName(username)) return null;
  const name = username.trim();
  const lower = name.toLowerCase();
  // A blocked address is refused whatever it sends. A blocked username is not
  // checked here: machine secrets cannot be guessed, so a flood against a token's
  // name must not lock out the CI jobs that use it.
  const blocked = await loginBlock("token", clientAddress);
  if (blocked) return blocked;

  const machine = await authenticateMachine(name, password);
  if (machine) return machine;

  const checked = await guardedPasswordCheck("token", clientAddress, lower, password, () => checkUserPassword(lower, password));
  if (isLoginRefusal(checked)) return checked;
  return checked.value ? { kind: "user", id: checked.value.id, name: checked.value.username } : null;
}

/** Admin user, service principal or repository-scoped token: SHA-256 of a long random secret. */
async function authenticateMachine(name: string, password: string): Promise<Principal | null> {
  const lower = name.toLowerCase();
  const hash = sha256Hex(password);
  const now = new Date();

  const registry = await db().registry.findUnique({ where: { name: lower } });
  if (registry?.adminUserEnabled) {
    const credential = hashEq(registry.adminPassword1Hash, hash) ? 1 : hashEq(registry.adminPassword2Hash, hash) ? 2 : 0;
    if (credential) return { kind: "admin", registryId: registry.id, registry: registry.name, name: registry.name, credential };
  }

  const sp = await db().servicePrincipal.findUnique({ where: { clientId: lower } });
  if (sp && !sp.disabled && hashEq(sp.secretHash, hash)) return { kind: "servicePrincipal", id: sp.id, name: sp.clientId };

  const tokens = await db().registryToken.findMany({ where: { name }, include: { registry: true } });
  for (const t of tokens) {
    if (!t.enabled) continue;
    const credential =
      hashEq(t.password1Hash, hash) && live(t.password1Expiry, now) ? 1 : hashEq(t.password2Hash, hash) && live(t.password2Expiry, now) ? 2 : 0;
    if (credential) return { kind: "token", id: t.id, registryId: t.registryId, registry: t.registry.name, name: t.name, credential };
  }
  return null;
}

/**
 * Reloads a principal from a token subject, refusing one that no longer may log in
 * (disabled token, admin user switched off, deleted or disabled user).
 */
export async function principalFromSubject(sub: string): Promise<Principal | null> {
  const [kind, id] = sub.split(/:(.*)/s);
  switch (kind) {
    case "anonymous":
      return ANONYMOUS;
    case "user": {
      const u = await db().user.findUnique({ where: { id } });
      return u && !u.disabled ? { kind: "user", id: u.id, name: u.username } : null;
    }
    case "sp": {
      const s = await db().servicePrincipal.findUnique({ where: { id } });
      return s && !s.disabled ? { kind: "servicePrincipal", id: s.id, name: s.clientId } : null;
    }
    case "admin": {
      const r = await db().registry.findUnique({ where: { id } });
      return r?.adminUserEnabled ? { kind: "admin", registryId: r.id, registry: r.name, name: r.name, credential: 1 } : null;
    }
    case "token": {
      const t = await db().registryToken.findUnique({ where: { id }, include: { registry: true } });
      return t?.enabled ? { kind: "token", id: t.id, registryId: t.registryId, registry: t.registry.name, name: t.name, credential: 1 } : null;
    }
    default:
      return null;
  }
}

/**
 * A fingerprint of the credential a principal logged in with, or null when it can
 * no longer log in (disabled, deleted, password expired). Refresh tokens carry
 * it, so rotating a password or disabling a token retires them at once.
 */
export async function credentialFingerprint(sub: string, credential: number): Promise<string | null> {
  return (await loadCredentialState(sub, credential))?.credential ?? null;
}

/** The credential slot (password 1 or 2) a principal used; 1 for kinds with one secret. */
export function credentialOf(p: Principal): number {
  return p.kind === "admin" || p.kind === "token" ? p.credential : 1;
}
