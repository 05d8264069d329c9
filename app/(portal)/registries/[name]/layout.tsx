import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { SkuBadge } from "@/components/sku-badge";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { findReadableRegistry } from "@wharf/lib/services/registries";
import { findRegistryForRepositoryViewer } from "@wharf/lib/services/repository-access";
import { requirePrincipal } from "@/portal/principal";
import { RegistryTabs } from "./registry-tabs";

/** Every registry page: a registry the user may not read is a 404, exactly like one that does not exist. */
export default async function RegistryLayout({ children, params }: { children: ReactNode; params: Promise<{ name: string }> }) {
  const { name } = await params;
  const principal = await requirePrincipal();
  // Someone with a role on only some repositories (e.g. AcrPull on one) still reaches those repositories' pages.
  const registry = (await findReadableRegistry(principal, decodeURIComponent(name))) ?? (await findRegistryForRepositoryViewer(principal, decodeURIComponent(name)));
  if (!registry) notFound();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/registries" className="inline-flex items-center gap-1 rounded hover:text-fg">
            <ArrowLeftIcon className="size-3.5" />
            Registries
          </Link>
        }
        title={registry.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <SkuBadge sku={registry.sku} />
            <span>Container registry{registry.resourceGroupName ? ` in resource group ${registry.resourceGroupName}` : ""}</span>
          </span>
        }
      />
      <RegistryTabs name={registry.name} />
      {children}
    </>
  );
}
