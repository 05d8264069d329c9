import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "../_lib/session";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  // proxy.ts already sent cookie-less requests to /login; this also catches
  // sessions of users that no longer exist or were disabled.
  const user = await requireUser();
  return <AppShell username={user.username}>{children}</AppShell>;
}
