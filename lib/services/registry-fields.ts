import { config } from "../core/context";
import { invalid, WharfError } from "../core/errors";
import { parseCidr } from "../auth/network";
import { skuLimits, SKU_NAMES } from "../core/skus";
import { MAX_NETWORK_RULES, tagProblems, type PublicAccess, type ResourceTag, type WizardContext, type WizardProblem } from "../core/registry-rules";

/**
 * How a registry's settings are checked and stored, shared by creating one
 * (registries.ts) and changing one (registry-settings.ts), so both apply the same rules.
 */

/**
 * Why customer-managed keys cannot be chosen; null once a key source exists. None does yet: Wharf has no key-vault
 * integration, so the wizard never stores a key choice that would do nothing.
 */
export function customerManagedKeyUnavailableReason(): string | null {
  return "This server has no key vault to hold customer-managed keys";
}

/** The configuration the wizard's rules depend on. */
export function wizardContext(): WizardContext {
  return {
    locations: config().WHARF_LOCATIONS,
    skuNetworkRules: Object.fromEntries(SKU_NAMES.map((s) => [s, skuLimits(s).networkRules])),
    customerManagedKeyUnavailable: customerManagedKeyUnavailableReason(),
  };
}

/** Thrown when a new registry's settings have problems; carries all of them so the portal can list them by tab. */
export class WizardInvalid extends WharfError {
  constructor(public problems: WizardProblem[]) {
    super("INVALID", problems[0]?.message ?? "The registry settings are not valid.", { field: problems[0]?.field });
  }
}

/** Trims and checks tags; throws INVALID naming the first problem and its row. */
export function normaliseTags(tags: ResourceTag[]): ResourceTag[] {
  const problems = tagProblems(tags);
  if (problems.length) {
    const p = problems[0];
    throw invalid(p.index >= 0 ? `Tag ${p.index + 1}: ${p.message}` : p.message, p.index >= 0 ? `tags.${p.index}.${p.field}` : "tags");
  }
  return tags.map((t) => ({ name: t.name.trim(), value: t.value.trim() }));
}

/** CIDR ranges in canonical form (a bare address gets /32 or /128), without duplicates. */
export function normaliseNetworkRules(rules: string[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    if (!r.trim()) continue; // a blank form row, not a rule
    const c = parseCidr(r);
    if (!c) throw invalid(`'${r}' is not an IPv4 or IPv6 address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/48).`, "networkRules");
    const text = `${c.address}/${c.prefix}`;
    if (!out.includes(text)) out.push(text);
  }
  if (out.length > MAX_NETWORK_RULES) throw invalid(`At most ${MAX_NETWORK_RULES} network rules.`, "networkRules");
  return out;
}

/** The stored networking fields for a public-access choice. */
export function networkingFields(publicAccess: PublicAccess, rules: string[]) {
  switch (publicAccess) {
    case "all":
      return { publicNetworkAccess: "Enabled", networkDefaultAction: "Allow", networkRules: [] as string[] };
    case "selected":
      return { publicNetworkAccess: "Enabled", networkDefaultAction: "Deny", networkRules: normaliseNetworkRules(rules) };
    case "disabled":
      return { publicNetworkAccess: "Disabled", networkDefaultAction: "Deny", networkRules: [] as string[] };
  }
}

/** The public-access choice stored fields stand for (the inverse of networkingFields). */
export function publicAccessOf(r: { publicNetworkAccess: string; networkDefaultAction: string }): PublicAccess {
  if (r.publicNetworkAccess === "Disabled") return "disabled";
  return r.networkDefaultAction === "Deny" ? "selected" : "all";
}

/** The settings `updateRegistry` may change, as stored (rules parsed). */
export type RegistrySettings = {
  sku: string;
  anonymousPullEnabled: boolean;
  adminUserEnabled: boolean;
  publicNetworkAccess: string;
  networkDefaultAction: string;
  networkRules: string[];
};

export function settingsOf(r: Omit<RegistrySettings, "networkRules"> & { networkRules: string }): RegistrySettings {
  return {
    sku: r.sku,
    anonymousPullEnabled: r.anonymousPullEnabled,
    adminUserEnabled: r.adminUserEnabled,
    publicNetworkAccess: r.publicNetworkAccess,
    networkDefaultAction: r.networkDefaultAction,
    networkRules: JSON.parse(r.networkRules) as string[],
  };
}

/** Features the settings use that `sku` lacks, as sentences. */
export function featuresMissingFrom(sku: string, s: RegistrySettings): string[] {
  const limits = skuLimits(sku);
  const out: string[] = [];
  if (s.anonymousPullEnabled && !limits.anonymousPull) out.push("anonymous pull is enabled (Standard or Premium)");
  const restricted = s.publicNetworkAccess === "Disabled" || s.networkDefaultAction === "Deny" || s.networkRules.length > 0;
  if (restricted && !limits.networkRules) out.push("network rules restrict public access (Premium)");
  return out;
}
