import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@wharf/lib/core/db";

export type PortalUser = { id: string; username: string };

/**
 * The signed-in user, checked against the database: a valid cookie for a user
 * who has since been removed or disabled counts as signed out. Once per request:
 * the portal layout, a registry's layout and the page all ask, and each answer
 * costs a session-cookie decryption and a query.
 */
export const currentUser = cache(async function currentUser(): Promise<PortalUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id }, select: { id: true, username: true, disabled: true } });
  if (!user || user.disabled) return null;
  return { id: user.id, username: user.username };
});

/** For server components and actions that need a user: signed out → /login. */
export async function requireUser(): Promise<PortalUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}
