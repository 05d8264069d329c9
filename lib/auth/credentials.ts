import { db } from "../core/db";
import { userCredentialFingerprint } from "./credential-state";
import { dummyPasswordHash, hashPassword, needsRehash, parsePasswordHash, verifyPassword } from "./password";

/** Password checks of people (portal sign-in, docker login with a user's password). */
export type UserInfo = { id: string; username: string };

/** A user whose password was just checked, with the fingerprint of that password (portal sessions carry it). */
export type CheckedUser = UserInfo & { credential: string };

/**
 * Checks a person's password. Every call runs one full scrypt (no memory of
 * earlier successes: a fast hash of a password is never kept), and an unknown or
 * disabled user is checked against a dummy hash of the current cost, so the
 * answer takes as long whether or not the username exists. Callers put this
 * behind the login guard (login-guard.ts), which bounds how many run.
 */
export async function checkUserPassword(username: string, password: string): Promise<CheckedUser | null> {
  const user = await db().user.findUnique({ where: { username: username.toLowerCase() } });
  const usable = user && !user.disabled ? user : null;
  const stored = usable?.passwordHash ?? dummyPasswordHash();
  const matches = await verifyPassword(password, stored);
  if (!usable || !matches) return null;
  if (needsRehash(stored)) await rehash(usable.id, stored, password);
  return { id: usable.id, username: usable.username, credential: userCredentialFingerprint(usable.id, stored) };
}

/**
 * Stores the verified password again at the current cost, keeping its salt (the
 * salt identifies the password, so the user's sessions and tokens stay valid).
 * Only if the row still holds the hash just checked: a reset made meanwhile wins.
 */
async function rehash(userId: string, stored: string, password: string): Promise<void> {
  try {
    const salt = parsePasswordHash(stored)!.salt;
    const passwordHash = await hashPassword(password, { salt });
    await db().user.updateMany({ where: { id: userId, passwordHash: stored }, data: { passwordHash } });
  } catch (err) {
    // The sign-in itself succeeded; the next one tries again.
    console.warn(`[auth] could not rehash the password of user ${userId}: ${(err as Error).message}`);
  }
}
