/**
 * The create-registry wizard's rules as pure functions (no database, no config, no
 * Node built-ins), so the portal checks them as you type and lib/services/registries.ts
 * checks exactly the same ones on the server, with the database checks on top.
 */

export const WIZARD_TABS = ["basics", "networking", "encryption", "tags"] as const;
export type WizardTab = (typeof WIZARD_TABS)[number];

export type PublicAccess = "all" | "selected" | "disabled";
export type ResourceTag = { name: string; value: string };

export type WizardInput = {
  resourceGroup: { mode: "existing" | "new"; name: string };
  name: string;
  location: string;
  sku: string;
  publicAccess: PublicAccess;
  networkRules: string[];
  encryption: string;
  tags: ResourceTag[];
};

/** A new registry's settings from any client: the wizard always names a resource group, the CLI may not. */
export type RegistryInput = Omit<WizardInput, "resourceGroup"> & { resourceGroup: WizardInput["resourceGroup"] | null };

export type WizardProblem = { tab: WizardTab; field: string; message: string };

/** What the rules depend on that comes from configuration. */
export type WizardContext = {
  locations: string[];
  /** SKU name → whether it allows network rules (selected networks / disabled public access). */
  skuNetworkRules: Record<string, boolean>;
  /** Why customer-managed keys cannot be chosen; null when a key source exists. */
  customerManagedKeyUnavailable: string | null;
};

/**
 * The one registry-name rule: 5–50 letters and digits. Names are case-insensitive and
 * stored lower case, so the pattern is for the lower-cased name (see canonicalRegistryName).
 */
export const REGISTRY_NAME_PATTERN = /^[a-z0-9]{5,50}$/;
export const REGISTRY_NAME_RULE = "Registry names are 5–50 letters and digits (no dashes or dots), unique in this Wharf.";

/** The stored form of a registry name as typed: trimmed and lower case (not yet checked). */
export function canonicalRegistryName(input: unknown): string {
  return String(input ?? "").trim().toLowerCase();
}

export function isRegistryName(input: unknown): boolean {
  return REGISTRY_NAME_PATTERN.test(canonicalRegistryName(input));
}
export const MAX_TAGS = 50;
export const MAX_TAG_NAME = 512;
export const MAX_TAG_VALUE = 256;
export const MAX_NETWORK_RULES = 200;
// Characters Azure refuses in tag names; refusing them here keeps tags portable.
const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;
const RESOURCE_GROUP_PATTERN = /^[A-Za-z0-9._()-]{1,90}$/;

/** Name rules only: a message saying what is wrong, or null. */
export function registryNameProblem(input: string): string | null {
  const name = input.trim();
  if (!name) return "Enter a registry name.";
  if (/[^A-Za-z0-9]/.test(name)) return "Use letters and digits only (no dashes, dots or spaces).";
  if (name.length < 5) return "The name must be at least 5 characters.";
  if (name.length > 50) return "The name must be at most 50 characters.";
  return REGISTRY_NAME_PATTERN.test(name.toLowerCase()) ? null : "Use 5–50 letters and digits.";
}

export function resourceGroupProblem(mode: "existing" | "new", input: string): string | null {
  const name = input.trim();
  if (!name) return mode === "new" ? "Enter a name for the new resource group." : "Choose a resource group or create a new one.";
  if (!RESOURCE_GROUP_PATTERN.test(name) || name.endsWith(".")) {
    return "Resource group name must be 1–90 characters: letters, digits, '.', '_', '-', '(' or ')', not ending in '.'.";
  }
  return null;
}

export type TagProblem = { index: number; field: "name" | "value" | "tags"; message: string };

/** Resource tags: name ≤ 512, value ≤ 256, at most 50, names unique ignoring case. */
export function tagProblems(tags: ResourceTag[]): TagProblem[] {
  const out: TagProblem[] = [];
  if (tags.length > MAX_TAGS) out.push({ index: -1, field: "tags", message: `At most ${MAX_TAGS} tags; remove ${tags.length - MAX_TAGS}.` });
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const name = t.name.trim();
    if (!name) out.push({ index: i, field: "name", message: "Enter a tag name (or remove the row)." });
    else if (name.length > MAX_TAG_NAME) out.push({ index: i, field: "name", message: `Tag names are at most ${MAX_TAG_NAME} characters.` });
    else if (TAG_NAME_FORBIDDEN.test(name)) out.push({ index: i, field: "name", message: "Tag names cannot contain < > % & \\ ? or /." });
    else if (seen.has(name.toLowerCase())) out.push({ index: i, field: "name", message: `Tag name '${name}' is used twice (names ignore case).` });
    else seen.add(name.toLowerCase());
    if (t.value.trim().length > MAX_TAG_VALUE) out.push({ index: i, field: "value", message: `Tag values are at most ${MAX_TAG_VALUE} characters.` });
  });
  return out;
}

function isIpv4(a: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return !!m && m.slice(1).every((o) => Number(o) <= 255 && (o === "0" || !o.startsWith("0")));
}

function isIpv6(a: string): boolean {
  if (!a.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(a)) return false;
  try {
    new URL(`http://[${a}]/`); // WHATWG URL parsing validates IPv6 literals the same in browsers and Node
    return true;
  } catch {
    return false;
  }
}

/** A message when `rule` is not an IPv4/IPv6 address or CIDR range, else null. */
export function networkRuleProblem(rule: string): string | null {
  const text = rule.trim();
  const example = "e.g. 203.0.113.0/24 or 2001:db8::/48";
  if (!text) return `Enter an IPv4 or IPv6 address or CIDR range (${example}), or remove the row.`;
  const [addr, bits, extra] = text.split("/");
  const v4 = isIpv4(addr), v6 = !v4 && isIpv6(addr);
  const max = v4 ? 32 : 128;
  const ok = extra === undefined && (v4 || v6) && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
  return ok ? null : `'${text}' is not an IPv4 or IPv6 address or CIDR range (${example}).`;
}

/** Every problem of every tab that needs no database (the name's availability and the group's existence are checked on the server). */
export function wizardProblems(input: RegistryInput, ctx: WizardContext): WizardProblem[] {
  const out: WizardProblem[] = [];
  const rgProblem = input.resourceGroup && resourceGroupProblem(input.resourceGroup.mode, input.resourceGroup.name);
  if (rgProblem) out.push({ tab: "basics", field: "resourceGroup", message: rgProblem });
  const nameProblem = registryNameProblem(input.name);
  if (nameProblem) out.push({ tab: "basics", field: "name", message: nameProblem });
  if (!ctx.locations.includes(input.location)) out.push({ tab: "basics", field: "location", message: `Choose a location: ${ctx.locations.join(", ")}.` });
  const skuKnown = Object.hasOwn(ctx.skuNetworkRules, input.sku);
  if (!skuKnown) out.push({ tab: "basics", field: "sku", message: `Choose a SKU: ${Object.keys(ctx.skuNetworkRules).join(", ")}.` });

  if (!["all", "selected", "disabled"].includes(input.publicAccess)) {
    out.push({ tab: "networking", field: "publicAccess", message: "Choose All networks, Selected networks or Disabled." });
  } else if (input.publicAccess !== "all") {
    if (skuKnown && !ctx.skuNetworkRules[input.sku]) {
      const what = input.publicAccess === "selected" ? "Selected networks needs" : "Disabling public access needs";
      out.push({ tab: "networking", field: "publicAccess", message: `${what} the Premium SKU: choose Premium on Basics, or allow all networks.` });
    }
    if (input.publicAccess === "selected") {
      // Blank rows are ignored (the form starts with one), not refused.
      const filled = input.networkRules.filter((r) => r.trim());
      if (!filled.length) out.push({ tab: "networking", field: "networkRules", message: "Add at least one address range, or allow all networks." });
      if (filled.length > MAX_NETWORK_RULES) out.push({ tab: "networking", field: "networkRules", message: `At most ${MAX_NETWORK_RULES} address ranges.` });
      input.networkRules.forEach((r, i) => {
        const p = r.trim() ? networkRuleProblem(r) : null;
        if (p) out.push({ tab: "networking", field: `networkRules.${i}`, message: `Rule ${i + 1}: ${p}` });
      });
    }
  }

  if (input.encryption !== "service-managed") {
    const reason = ctx.customerManagedKeyUnavailable;
    out.push({
      tab: "encryption",
      field: "encryption",
      message: input.encryption === "customer-managed" && reason ? `Customer-managed keys are unavailable: ${reason}.` : "Choose the service-managed key.",
    });
  }

  for (const p of tagProblems(input.tags)) {
    out.push({ tab: "tags", field: p.index >= 0 ? `tags.${p.index}.${p.field}` : "tags", message: p.index >= 0 ? `Tag ${p.index + 1}: ${p.message}` : p.message });
  }
  return out;
}
