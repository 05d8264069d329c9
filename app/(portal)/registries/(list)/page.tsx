import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon, RegistryIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listRegistries } from "@wharf/lib/services/registries";
import { loginServerResolver } from "@/portal/login-server";
import { requirePrincipal } from "@/portal/principal";
import { RegistryTable } from "./registry-table";

export const metadata: Metadata = { title: "Registries" };

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });

export default async function RegistriesPage() {
  const principal = await requirePrincipal();
  // Only registries the user may read are listed; the others do not exist as far as the page is concerned.
  const [registries, loginServer] = await Promise.all([listRegistries(principal), loginServerResolver()]);

  return (
    <>
      <PageHeader
        title="Registries"
        description="Each registry is a separate home for container images and other OCI artifacts, with its own repositories, access and settings."
        actions={
          <ButtonLink href="/registries/new">
            <PlusIcon className="-ml-0.5 size-4" />
            Create registry
          </ButtonLink>
        }
      />
      {registries.length === 0 ? (
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
    </>
  );
}
