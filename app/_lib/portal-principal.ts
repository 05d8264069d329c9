import type { Principal } from "@/lib/auth/principal";
import { requireUser } from "./session";

/** The signed-in user as the principal lib/ authorises. */
export async function requirePrincipal(): Promise<Principal & { kind: "user" }> {
  const u = await requireUser();
  return { kind: "user", id: u.id, name: u.username };
}
