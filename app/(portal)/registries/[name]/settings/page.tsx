import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { findReadableRegistry, registryCapabilities } from "@wharf/lib/services/registries";
import { publicAccessOf } from "@wharf/lib/services/registry-fields";
import { skuLimits, SKU_NAMES } from "@wharf/lib/core/skus";
import { portalClientAddress } from "@/portal/client-address";
import { loginServerResolver } from "@/portal/login-server";
import { requirePrincipal } from "@/portal/principal";
import { RegistrySettings } from "./registry-settings";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `Settings · ${(await params).name}` };
}

export default async function RegistrySettingsPage({ params }: { params: Promise<{ name: string }> }) {
  const principal = await requirePrincipal();
  const reg = await findReadableRegistry(principal, decodeURIComponent((await params).name));
  if (!reg) notFound();
  const can = await registryCapabilities(principal, reg.name, reg.resourceGroupName);
  const loginServer = (await loginServerResolver())(reg.name);
  // Only what the page needs crosses to the browser (never the password hashes).
  return (
    <RegistrySettings
      name={reg.name}
      sku={reg.sku}
      skus={SKU_NAMES.map((s) => ({ name: s, anonymousPull: skuLimits(s).anonymousPull, networkRules: skuLimits(s).networkRules }))}
      anonymousPullEnabled={reg.anonymousPullEnabled}
      adminUserEnabled={reg.adminUserEnabled}
      adminPasswords={[
        { which: 1, created: reg.adminPassword1Hash ? (reg.adminPassword1At?.toISOString() ?? null) : null },
        { which: 2, created: reg.adminPassword2Hash ? (reg.adminPassword2At?.toISOString() ?? null) : null },
      ]}
      publicAccess={publicAccessOf(reg)}
      networkRules={reg.networkRuleList}
      tags={reg.tagList}
      loginServer={loginServer}
      clientAddress={await portalClientAddress()}
      cannotChange={can.changePolicies.allowed ? null : can.changePolicies.reason}
      cannotDelete={can.deleteRegistry.allowed ? null : can.deleteRegistry.reason}
    />
  );
}
