import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadOrPanel } from "@/components/error-panel";
import { loadWebhooksOverview } from "@/components/webhooks/overview";
import { WebhooksTab } from "@/components/webhooks/webhooks-tab";
import { requirePrincipal } from "@/portal/principal";
import { findReadableRegistry, registryCapabilities } from "@wharf/lib/services/registries";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `Webhooks · ${(await params).name}` };
}

export default async function RegistryWebhooksPage({ params }: { params: Promise<{ name: string }> }) {
  const principal = await requirePrincipal();
  const reg = await findReadableRegistry(principal, decodeURIComponent((await params).name));
  if (!reg) notFound();
  const res = await loadOrPanel(() => loadWebhooksOverview(principal, reg.name));
  if (res.panel) return res.panel;
  const can = await registryCapabilities(principal, reg.name, reg.resourceGroupName);
  return <WebhooksTab registry={reg.name} initial={res.data} cannotChange={can.changePolicies.allowed ? null : can.changePolicies.reason} />;
}
