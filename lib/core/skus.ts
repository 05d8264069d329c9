import { config } from "./context";

export const SKU_NAMES = ["Basic", "Standard", "Premium"] as const;
export type SkuName = (typeof SKU_NAMES)[number];

export type SkuLimits = {
  includedStorageGiB: number;
  readOpsPerMinute: number;
  writeOpsPerMinute: number;
  webhooks: number;
  anonymousPull: boolean;
  networkRules: boolean;
  customerManagedKey: boolean;
  replications: boolean;
  contentTrust: boolean;
};

/** DESIGN §6. Override any figure with WHARF_SKU_LIMITS (JSON), e.g. {"Basic":{"readOpsPerMinute":50}}. */
export const DEFAULT_SKUS: Record<SkuName, SkuLimits> = {
  Basic: {
    includedStorageGiB: 10, readOpsPerMinute: 1_000, writeOpsPerMinute: 100, webhooks: 2,
    anonymousPull: false, networkRules: false, customerManagedKey: false, replications: false, contentTrust: false,
  },
  Standard: {
    includedStorageGiB: 100, readOpsPerMinute: 3_000, writeOpsPerMinute: 500, webhooks: 10,
    anonymousPull: true, networkRules: false, customerManagedKey: false, replications: false, contentTrust: false,
  },
  Premium: {
    includedStorageGiB: 500, readOpsPerMinute: 10_000, writeOpsPerMinute: 2_000, webhooks: 500,
    anonymousPull: true, networkRules: true, customerManagedKey: true, replications: true, contentTrust: true,
  },
};

export function isSku(value: string): value is SkuName {
  return (SKU_NAMES as readonly string[]).includes(value);
}

export function skuLimits(sku: string): SkuLimits {
  const base = isSku(sku) ? DEFAULT_SKUS[sku] : DEFAULT_SKUS.Basic;
  const override = config().skuOverrides[sku as SkuName];
  return override ? { ...base, ...override } : base;
}
