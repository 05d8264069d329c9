import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { Alert } from "@/components/ui/alert";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { authorize } from "@wharf/lib/auth/authorize";
import { config } from "@wharf/lib/core/context";
import { db } from "@wharf/lib/core/db";
import { wizardContext } from "@wharf/lib/services/registry-fields";
import { skuLimits, SKU_NAMES } from "@wharf/lib/core/skus";
import { portalClientAddress } from "@/portal/client-address";
import { requirePrincipal } from "@/portal/principal";
import { CreateRegistryWizard } from "./create-registry-wizard";

export const metadata: Metadata = { title: "Create registry" };

export default async function NewRegistryPage() {
  const principal = await requirePrincipal();
  // Creating may be allowed for the whole organisation, or only inside some resource groups.
  const groups = await db().resourceGroup.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  const [orgDecision, ...groupDecisions] = await Promise.all([
    authorize(principal, "createRegistry", { type: "organisation" }),
    ...groups.map((g) => authorize(principal, "createRegistry", { type: "resourceGroup", resourceGroup: g.name })),
  ]);
  const allowedGroups = groups.filter((_, i) => groupDecisions[i].allowed).map((g) => g.name);
  const c = config();
  const host = c.WHARF_PUBLIC_URL ? new URL(c.WHARF_PUBLIC_URL).host : ((await headers()).get("host") ?? `localhost:${c.PORT}`);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/registries" className="inline-flex items-center gap-1 rounded hover:text-fg">
            <ArrowLeftIcon className="size-3.5" />
            Registries
          </Link>
        }
        title="Create registry"
        description="A registry holds repositories of container images, Helm charts and other OCI artifacts behind its own login server."
      />
      {!orgDecision.allowed && !allowedGroups.length ? (
        <Alert tone="danger" title="You cannot create registries">
          {orgDecision.reason} Ask an Owner to give you the Contributor role.
        </Alert>
      ) : (
        <CreateRegistryWizard
          resourceGroups={allowedGroups}
          canCreateGroup={orgDecision.allowed}
          skus={SKU_NAMES.map((name) => ({ name, limits: skuLimits(name) }))}
          context={wizardContext()}
          registryDomain={c.WHARF_REGISTRY_DOMAIN ?? null}
          host={host}
          clientAddress={await portalClientAddress()}
        />
      )}
    </>
  );
}
