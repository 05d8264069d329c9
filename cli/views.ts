import type { LoadedRegistry } from "../lib/services/load-registry";
import { loginServerOf } from "../lib/services/login-server";
import type { Column } from "./output";

/**
 * The registry as `az acr show` prints it, field for field where Wharf has the
 * setting (keys in az's alphabetical order): camelCase, sku as {name, tier},
 * networkRuleSet, policies, tags as a map. Wharf's own additions: repositoryPrefix,
 * lastUpdateDate. Azure features Wharf lacks are reported off (data endpoints,
 * zone redundancy) or left out.
 */
export function registryView(r: LoadedRegistry) {
  const { loginServer, repositoryPrefix } = loginServerOf(r.name);
  const status = (on: boolean) => (on ? "enabled" : "disabled");
  return {
    adminUserEnabled: r.adminUserEnabled,
    anonymousPullEnabled: r.anonymousPullEnabled,
    creationDate: r.createdAt,
    dataEndpointEnabled: false,
    encryption: { status: r.encryption === "customer-managed" ? "enabled" : "disabled", keySource: r.encryption },
    id: r.id,
    lastUpdateDate: r.updatedAt,
    location: r.location,
    loginServer,
    name: r.name,
    networkRuleSet: networkRuleSetView(r),
    policies: {
      retentionPolicy: { days: r.retentionDays, status: status(r.retentionEnabled) },
      softDeletePolicy: { retentionDays: r.softDeleteDays, status: status(r.softDeleteEnabled) },
    },
    // Wharf changes a registry in one transaction: a registry that can be read is fully provisioned.
    provisioningState: "Succeeded",
    publicNetworkAccess: r.publicNetworkAccess,
    repositoryPrefix,
    resourceGroup: r.resourceGroupName,
    sku: { name: r.sku, tier: r.sku },
    tags: Object.fromEntries(r.tagList.map((t) => [t.name, t.value])),
    type: "Microsoft.ContainerRegistry/registries",
    zoneRedundancy: "Disabled",
  };
}

export function networkRuleSetView(r: Pick<LoadedRegistry, "networkDefaultAction" | "networkRuleList">) {
  return { defaultAction: r.networkDefaultAction, ipRules: r.networkRuleList.map((ip) => ({ action: "Allow", ipAddressOrRange: ip })) };
}

export const REGISTRY_TABLE: Column[] = [
  { header: "NAME", field: "name" },
  { header: "SKU", field: "sku.name" },
  { header: "LOGIN SERVER", field: "loginServer" },
  { header: "LOCATION", field: "location" },
  { header: "CREATION DATE", field: "creationDate" },
  { header: "ADMIN ENABLED", field: "adminUserEnabled" },
  { header: "ANONYMOUS PULL", field: "anonymousPullEnabled" },
];

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) [n, i] = [n / 1024, i + 1];
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}
