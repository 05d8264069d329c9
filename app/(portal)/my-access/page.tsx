import type { Metadata } from "next";
import { ReachList } from "@/components/access/reach-list";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { OPERATION_LABELS } from "@wharf/lib/auth/roles";
import { listRegistries } from "@wharf/lib/services/registries";
import { myAccess } from "@wharf/lib/services/my-access";
import { imageNamer, loginServerResolver, servesHttps } from "@/portal/login-server";
import { requirePrincipal } from "@/portal/principal";

export const metadata: Metadata = { title: "My access" };

export default async function MyAccessPage() {
  const principal = await requirePrincipal();
  const [access, readable, loginServer, imageName] = await Promise.all([myAccess(principal), listRegistries(principal), loginServerResolver(), imageNamer()]);
  const wide = [
    ...(access.organisation.grants.length ? [{ label: "The organisation", ...access.organisation }] : []),
    ...access.resourceGroups.map((g) => ({ label: `Resource group ${g.resourceGroup}`, ...g })),
  ];
  return (
    <>
      <PageHeader title="My access" description={`What ${principal.name} may do, where, and which role assignment allows it. Only an Owner can change it.`} />
      {wide.length > 0 && (
        <Card className="mb-4">
          <CardBody className="space-y-3">
            {wide.map((w) => (
              <div key={w.label} className="space-y-1.5" data-testid="reach-wide">
                <h2 className="text-sm font-semibold text-fg">{w.label}</h2>
                <ul className="flex flex-wrap gap-1.5">
                  {w.operations.map((op) => (
                    <li key={op}><Badge className="font-normal">{OPERATION_LABELS[op]}</Badge></li>
                  ))}
                </ul>
                <p className="text-[13px] text-muted">{w.grants.map((g) => g.role).join(", ")} on {w.label.toLowerCase()}; it applies to every registry in it.</p>
              </div>
            ))}
          </CardBody>
        </Card>
      )}
      {access.registries.length === 0 ? (
        <Card>
          <EmptyState title="No access yet">
            <p>You have no role on any registry or repository. Ask an Owner of the registry you need to assign you a role (AcrPull to pull, AcrPush to push).</p>
          </EmptyState>
        </Card>
      ) : (
        <ReachList registries={access.registries} readable={new Set(readable.map((r) => r.name))} loginServer={loginServer} imageName={imageName} insecure={servesHttps() ? "" : " --tls-verify=false"} />
      )}
    </>
  );
}
