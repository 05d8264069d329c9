import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon, RegistryIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listRegistries } from "@wharf/lib/services/registries";
import { imageNamer, loginServerResolver, servesHttps } from "@/portal/login-server";
import { myAccess } from "@wharf/lib/services/my-access";
import { ReachList } from "@/components/access/reach-list";
import { requirePrincipal } from "@/portal/principal";
import { RegistryTable } from "./registry-table";

export const metadata: Metadata = { title: "Registries" };

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });

export default async function RegistriesPage() {
  const principal = await requirePrincipal();
  // Only registries the user may read are listed; the others do not exist as far as the page is concerned.
  const [registries, loginServer, access, imageName] = await Promise.all([listRegistries(principal), loginServerResolver(), myAccess(principal), imageNamer()]);
  // Creating needs Owner or Contributor on the organisation or on some resource group (the wizard offers those).
  const canCreate = [access.organisation, ...access.resourceGroups].some((r) => r.operations.includes("createRegistry"));
  // Data-plane roles (AcrPush on one repository) do not let a person read a registry's settings: those are shown apart.
  const readable = new Set(registries.map((r) => r.name));
  const elsewhere = access.registries
    .filter((r) => !readable.has(r.registry) && (r.grants.length > 0 || r.repositories.length > 0));
  const reach = elsewhere.length > 0 && (
    <section aria-labelledby="reach-heading" className={registries.length ? "mt-8" : ""}>
      <h2 id="reach-heading" className="mb-1 text-base font-semibold text-fg">Repositories you can use</h2>
      <p className="mb-3 text-sm text-muted">Your roles here let you pull or push images, not see the registry&apos;s settings. My access lists everything you may do.</p>
      <ReachList registries={elsewhere} readable={readable} loginServer={loginServer} imageName={imageName} insecure={servesHttps() ? "" : " --tls-verify=false"} />
    </section>
  );

  return (
    <>
      <PageHeader
        title="Registries"
        description="Each registry is a separate home for container images and other OCI artifacts, with its own repositories, access and settings."
        actions={
          canCreate ? (
            <ButtonLink href="/registries/new">
              <PlusIcon className="-ml-0.5 size-4" />
              Create registry
            </ButtonLink>
          ) : undefined
        }
      />
      {registries.length === 0 && elsewhere.length > 0 ? null : registries.length === 0 && !canCreate ? (
        <Card>
          <EmptyState icon={<RegistryIcon className="size-6" />} title="No registries you can use yet">
            <p>You have no role on any registry. Ask an Owner of the registry you need to assign you one (AcrPull to pull, AcrPush to push, Reader to see it here).</p>
          </EmptyState>
        </Card>
      ) : registries.length === 0 ? (
        <Card>
          <EmptyState icon={<RegistryIcon className="size-6" />} title="No registries yet">
            <p>
              Create your first registry with the <span className="font-medium text-fg">Create registry</span> button, or
              from the command line:
            </p>
            <div className="mx-auto mt-4 w-full max-w-sm text-left">
              <CommandLine command="wharf registry create --name contoso" />
            </div>
          </EmptyState>
        </Card>
      ) : (
        <RegistryTable
          rows={registries.map((r) => ({
            id: r.id,
            name: r.name,
            loginServer: loginServer(r.name),
            sku: r.sku,
            location: r.location,
            resourceGroup: r.resourceGroupName,
            created: r.createdAt.toISOString(),
            createdLabel: dateFormat.format(r.createdAt),
          }))}
        />
      )}
      {reach}
    </>
  );
}
