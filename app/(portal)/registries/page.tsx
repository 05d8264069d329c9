import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon, RegistryIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { SkuBadge } from "@/components/sku-badge";
import { listRegistries } from "@/lib/registries";
import { loginServerResolver } from "../../_lib/login-server";

export const metadata: Metadata = { title: "Registries" };

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });

export default async function RegistriesPage() {
  const [registries, loginServer] = await Promise.all([listRegistries(), loginServerResolver()]);

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
        <Card className="overflow-hidden">
          <CardHeader title={`${registries.length} ${registries.length === 1 ? "registry" : "registries"}`} />
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-sunken/60 text-xs font-medium tracking-wide text-muted uppercase">
                <tr>
                  <th scope="col" className="px-5 py-2.5 font-medium">Name</th>
                  <th scope="col" className="px-5 py-2.5 font-medium">Login server</th>
                  <th scope="col" className="px-5 py-2.5 font-medium">SKU</th>
                  <th scope="col" className="hidden px-5 py-2.5 font-medium sm:table-cell">Location</th>
                  <th scope="col" className="hidden px-5 py-2.5 font-medium lg:table-cell">Created</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {registries.map((r) => {
                  const server = loginServer(r.name);
                  return (
                    <tr key={r.id} className="transition-colors hover:bg-hover/60">
                      <td className="px-5 py-3">
                        <div className="flex items-center gap-2.5">
                          <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-soft-fg">
                            <RegistryIcon className="size-4" />
                          </span>
                          <span className="font-medium text-fg">{r.name}</span>
                        </div>
                      </td>
                      <td className="px-5 py-3">
                        <div className="flex items-center gap-1">
                          <code className="font-mono text-[13px] text-muted">{server}</code>
                          <CopyButton text={server} label={`Copy login server of ${r.name}`} className="size-6" />
                        </div>
                      </td>
                      <td className="px-5 py-3">
                        <SkuBadge sku={r.sku} />
                      </td>
                      <td className="hidden px-5 py-3 text-muted sm:table-cell">{r.location}</td>
                      <td className="hidden px-5 py-3 text-muted lg:table-cell">
                        <time dateTime={r.createdAt.toISOString()}>{dateFormat.format(r.createdAt)}</time>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}
