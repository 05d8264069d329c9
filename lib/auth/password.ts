import crypto from "node:crypto";
import { config, context, slot } from "../core/context";
import { hashPool } from "./hash-pool";

/**
 * People's passwords: scrypt, stored as a self-describing PHC string
 * `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (standard base64, no padding), so the cost
 * can be raised later and old hashes keep working until their owner next signs in
 * (needsRehash). Hashes written before PHC (`scrypt$N$r$p$salt$hash`, base64url)
 * are still read. Every hash runs in the worker pool (hash-pool.ts), never on
 * libuv's thread pool.
 */
export type ScryptParams = { ln: number; r: number; p: number };
export type PasswordHash = { params: ScryptParams; salt: Buffer; hash: Buffer; legacy: boolean };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** The cost new hashes get: N = 2^WHARF_PASSWORD_SCRYPT_LN, r = 8, p = 1 (OWASP). */
export function currentScryptParams(): ScryptParams {
  return { ln: config().WHARF_PASSWORD_SCRYPT_LN, r: 8, p: 1 };
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const LEGACY = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Parses a stored hash; null when it is not one we can check (or its cost is out of bounds). */
export function parsePasswordHash(stored: string): PasswordHash | null {
  let parsed: PasswordHash | null = null;
  const phc = PHC.exec(stored);
  if (phc) {
    const [, ln, r, p, salt, hash] = phc;
    parsed = { params: { ln: Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64"), legacy: false };
  }
  const legacy = LEGACY.exec(stored);
  if (legacy) {
    const [, n, r, p, salt, hash] = legacy;
    const ln = Math.log2(Number(n));
    if (!Number.isInteger(ln)) return null;
    parsed = { params: { ln, r: Number(r), p: Number(p) }, salt: Buffer.from(salt, "base64url"), hash: Buffer.from(hash, "base64url"), legacy: true };
  }
  if (!parsed) return null;
  const { ln, r, p } = parsed.params;
  // Bounds keep a damaged row from asking for gigabytes of memory.
  if (ln < 10 || ln > 20 || r < 1 || r > 32 || p < 1 || p > 16 || parsed.salt.length < 8 || parsed.hash.length < 16) return null;
  return parsed;
}

export function formatPasswordHash(h: Omit<PasswordHash, "legacy">): string {
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return `$scrypt$ln=${h.params.ln},r=${h.params.r},p=${h.params.p}$${b64(h.salt)}$${b64(h.hash)}`;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number, limited: boolean): Promise<Buffer> {
  return hashPool().run({ password, salt, N: 2 ** params.ln, r: params.r, p: params.p, keyLength }, { limited });
}

/**
 * Hashes a new password with the current cost. `salt` is given only when
 * rehashing a verified password at a new cost: the salt identifies the password
 * (credential-state.ts), so sessions and tokens survive a rehash but not a reset.
 */
export async function hashPassword(password: string, opts: { salt?: Buffer } = {}): Promise<string> {
  const salt = opts.salt ?? crypto.randomBytes(SALT_BYTES);
  const params = currentScryptParams();
  const hash = await derive(password, salt, params, KEY_BYTES, false);
  return formatPasswordHash({ params, salt, hash });
}

/**
 * Whether `password` matches `stored`. A sign-in check: refused with HashPoolBusy
 * when too many checks already wait. An unreadable stored hash costs a full check
 * against the dummy hash and fails, so it answers no faster than a wrong password.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  const target = parsed ?? parsePasswordHash(dummyPasswordHash())!;
  const actual = await derive(password, target.salt, target.params, target.hash.length, true);
  return !!parsed && crypto.timingSafeEqual(actual, target.hash);
}

/** True when the stored hash is in the old format or at another cost than the current one. */
export function needsRehash(stored: string): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const now = currentScryptParams();
  return parsed.legacy || parsed.params.ln !== now.ln || parsed.params.r !== now.r || parsed.params.p !== now.p || parsed.hash.length !== KEY_BYTES;
}

/**
 * A hash no password matches, at the current cost: checking an unknown or
 * disabled user against it costs exactly what a real check costs, so the answer
 * time does not tell which usernames exist. Random bytes, not a hash of anything.
 */
const dummy = slot("dummyPasswordHash", () =>
  formatPasswordHash({ params: currentScryptParams(), salt: crypto.randomBytes(SALT_BYTES), hash: crypto.randomBytes(KEY_BYTES) }),
);

export function dummyPasswordHash(): string {
  return context().get(dummy);
}

/** Machine secrets (token passwords, client secrets) are long random strings: a fast hash is enough. */
export function sha256Hex(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}
