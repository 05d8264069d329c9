import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Code, CommandLine } from "@/components/ui/code";
import { Alert } from "@/components/ui/alert";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Create registry" };

const WIZARD_STEPS = ["Basics", "Networking", "Encryption", "Tags", "Review + create"];

export default function NewRegistryPage() {
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
        description="A registry holds repositories of container images, Helm charts and other OCI artifacts, each with its own login server."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <Card>
          <CardHeader title="Create a registry from the command line" description="The portal's guided wizard is not available yet; the CLI creates the same registry today." />
          <CardBody className="space-y-5">
            <div className="space-y-2">
              <p className="text-sm text-fg">On the machine running Wharf, in its directory:</p>
              <CommandLine command="wharf registry create --name contoso" />
            </div>
            <ul className="space-y-2 text-sm text-muted">
              <li>
                <span className="font-medium text-fg">Name:</span> 5–50 letters and digits, no dashes or dots; stored in lower
                case and unique on this server.
              </li>
              <li>
                <span className="font-medium text-fg">SKU:</span> <Code>Standard</Code> unless you choose <Code>Basic</Code> or{" "}
                <Code>Premium</Code>.
              </li>
            </ul>
            <p className="text-sm text-muted">The new registry appears in the Registries list straight away.</p>
            <div className="flex gap-2 pt-1">
              <ButtonLink href="/registries" variant="secondary">
                Back to registries
              </ButtonLink>
            </div>
          </CardBody>
        </Card>
        <aside aria-labelledby="wizard-heading">
          <Alert title={<span id="wizard-heading">Create wizard coming soon</span>}>
            <p>A step-by-step wizard will guide you through:</p>
            <ol className="mt-2 space-y-1">
              {WIZARD_STEPS.map((step, i) => (
                <li key={step} className="flex items-center gap-2">
                  <span className="flex size-5 items-center justify-center rounded-full bg-surface/70 text-[11px] font-semibold">{i + 1}</span>
                  {step}
                </li>
              ))}
            </ol>
          </Alert>
        </aside>
      </div>
    </>
  );
}
