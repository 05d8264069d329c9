import { context, slot } from "../core/context";
import { db } from "../core/db";
import { logger } from "../core/logging";
import type { Principal } from "./principal";

/**
 * When each credential was last used, for the access review: noted at sign-in and token issue, never per request.
 * A credential is written at most once per WRITE_EVERY_MS by this node (memory only spares writes; another node, or
 * a restart, may write again, which is harmless), and the write itself never moves a time backwards.
 */
export const WRITE_EVERY_MS = 5 * 60_000;

const lastWrites = slot("credentialUseWrites", () => new Map<string, number>());

export function credentialKey(p: Principal): string | null {
  switch (p.kind) {
    case "user":
      return `user:${p.id}`;
    case "servicePrincipal":
      return `sp:${p.id}`;
    case "token":
      return `token:${p.id}`;
    case "admin":
      return `admin:${p.registryId}`;
    default:
      return null;
  }
}

/** Notes a successful sign-in or token issue; fire and forget (a failed write must not fail a login). */
export function noteCredentialUse(p: Principal, now = Date.now()): void {
  const key = credentialKey(p);
  if (!key) return;
  const writes = context().get(lastWrites);
  const last = writes.get(key);
  if (last !== undefined && now - last < WRITE_EVERY_MS) return;
  writes.set(key, now);
  if (writes.size > 100_000) writes.clear();
  void writeUse(key, new Date(now)).catch((err) => {
    writes.delete(key);
    logger().warn({ err, key }, "could not record when a credential was last used");
  });
}

async function writeUse(key: string, at: Date): Promise<void> {
  await db().$executeRaw`
    INSERT INTO "CredentialUse" ("key", "lastUsedAt") VALUES (${key}, ${at})
    ON CONFLICT ("key") DO UPDATE SET "lastUsedAt" = excluded."lastUsedAt" WHERE "CredentialUse"."lastUsedAt" < excluded."lastUsedAt"`;
}

/** Last use of each key given (absent: never used, or not since Wharf started recording). */
export async function lastUses(keys: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db().credentialUse.findMany({ where: { key: { in: keys.slice(i, i + 500) } } });
    for (const r of rows) out.set(r.key, r.lastUsedAt);
  }
  return out;
}
