import type { Principal } from "@wharf/lib/auth/principal";
import { requireUser } from "./session";

/** The signed-in user as lib/auth's Principal (signed out → /login). */
export async function requirePrincipal(): Promise<Principal & { kind: "user" }> {
  const user = await requireUser();
  return { kind: "user", id: user.id, name: user.username };
}
