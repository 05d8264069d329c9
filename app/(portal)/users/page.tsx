import type { Metadata } from "next";
import { ErrorPanel } from "@/components/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/portal/principal";
import { authorize } from "@wharf/lib/auth/authorize";
import { denied } from "@wharf/lib/core/errors";
import { listUsers } from "@wharf/lib/services/users";
import { PrincipalsManager } from "@/components/access/principals-manager";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const principal = await requirePrincipal();
  const d = await authorize(principal, "assignRoles", { type: "organisation" });
  const header = <PageHeader title="Users" description="People who sign in to the portal and log in with docker using their username and password." />;
  if (!d.allowed) return <>{header}<ErrorPanel error={denied("Only an Owner of the organisation can manage users.")} /></>;
  const users = await listUsers();
  return (
    <>
      {header}
      <PrincipalsManager kind="user" self={principal.name} items={users.map((u) => ({ key: u.username, name: u.username, detail: "", disabled: u.disabled, createdAt: u.createdAt.toISOString() }))} />
    </>
  );
}
