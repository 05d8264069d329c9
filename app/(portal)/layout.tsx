import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { authorize } from "@wharf/lib/auth/authorize";
import { requireUser } from "@/portal/session";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  // proxy.ts already sent cookie-less requests to /login; this also catches
  // sessions of users that no longer exist or were disabled.
  const user = await requireUser();
  // Organisation-wide sections are listed only for those who may use them.
  const principal = { kind: "user", id: user.id, name: user.username } as const;
  const org = { type: "organisation" } as const;
  const [read, owner] = await Promise.all([authorize(principal, "read", org), authorize(principal, "assignRoles", org)]);
  return (
    <Providers>
      <AppShell username={user.username} access={{ read: read.allowed, owner: owner.allowed }}>
        {children}
      </AppShell>
    </Providers>
  );
}
