import type { LoadedRegistry } from "../lib/services/load-registry";
import { loginServerOf } from "../lib/services/login-server";
import type { Column } from "./output";

/** The registry as `az acr show` prints it: camelCase, sku as {name, tier}, networkRuleSet, tags as a map. */
export function registryView(r: LoadedRegistry) {
  const { loginServer, repositoryPrefix } = loginServerOf(r.name);
  return {
    id: r.id,
    name: r.name,
    loginServer,
    repositoryPrefix,
    resourceGroup: r.resourceGroupName,
    location: r.location,
    sku: { name: r.sku, tier: r.sku },
    anonymousPullEnabled: r.anonymousPullEnabled,
    adminUserEnabled: r.adminUserEnabled,
    publicNetworkAccess: r.publicNetworkAccess,
    networkRuleSet: networkRuleSetView(r),
    encryption: { status: r.encryption === "customer-managed" ? "enabled" : "disabled", keySource: r.encryption },
    tags: Object.fromEntries(r.tagList.map((t) => [t.name, t.value])),
    creationDate: r.createdAt,
    lastUpdateDate: r.updatedAt,
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
