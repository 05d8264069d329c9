import crypto from "node:crypto";
import { context, slot } from "../core/context";
import { db } from "../core/db";
import { verifyPassword } from "./password";

/** Password checks of people (portal sign-in, docker login with a user's password). */
export type UserInfo = { id: string; username: string };

/**
 * A short-lived memory of successful slow-hash checks, so a storm of
 * `docker login`/token requests with the same credentials stays cheap. Keyed by
 * a hash of user id + stored hash + password: a password change invalidates it.
 */
const recentChecks = slot("recentPasswordChecks", () => new Map<string, number>());
const CACHE_MS = 60_000;

function cacheKey(id: string, stored: string, password: string): string {
  return crypto.createHash("sha256").update(`${id}\0${stored}\0${password}`).digest("base64");
}

export async function checkUserPassword(username: string, password: string): Promise<UserInfo | null> {
  const user = await db().user.findUnique({ where: { username: username.toLowerCase() } });
  if (!user || user.disabled) {
    // Spend the same time as a real check so timing does not reveal which usernames exist.
    await verifyPassword(password, DUMMY_HASH);
    return null;
  }
  const recent = context().get(recentChecks);
  const key = cacheKey(user.id, user.passwordHash, password);
  const hit = recent.get(key);
  if (hit && hit > Date.now()) return { id: user.id, username: user.username };
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  recent.set(key, Date.now() + CACHE_MS);
  if (recent.size > 10_000) recent.clear();
  return { id: user.id, username: user.username };
}

const DUMMY_HASH = "scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

