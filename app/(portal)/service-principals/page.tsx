import type { Metadata } from "next";
import { ErrorPanel } from "@/components/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/portal/principal";
import { authorize } from "@wharf/lib/auth/authorize";
import { denied } from "@wharf/lib/core/errors";
import { listServicePrincipals } from "@wharf/lib/services/service-principals";
import { PrincipalsManager } from "@/components/access/principals-manager";

export const metadata: Metadata = { title: "Service principals" };

export default async function ServicePrincipalsPage() {
  const principal = await requirePrincipal();
  const d = await authorize(principal, "assignRoles", { type: "organisation" });
  const header = <PageHeader title="Service principals" description="Identities for automation: they log in with their client id and a secret, and get roles like users do." />;
  if (!d.allowed) return <>{header}<ErrorPanel error={denied("Only an Owner of the organisation can manage service principals.")} /></>;
  const sps = await listServicePrincipals(principal);
  return (
    <>
      {header}
      <PrincipalsManager kind="servicePrincipal" self={principal.name} items={sps.map((s) => ({ key: s.clientId, name: s.displayName, detail: s.clientId, disabled: s.disabled, createdAt: s.createdAt.toISOString() }))} />
    </>
  );
}
