import { db } from "../core/db";
import { config } from "../core/context";
import { recordActivity } from "./activity";
import { conflict, denied, invalid, isUniqueViolation, WharfError } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { normaliseNetworkRules } from "./registry-settings";
import { skuLimits, SKU_NAMES } from "../core/skus";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import {
  registryNameProblem,
  tagProblems,
  wizardProblems,
  type PublicAccess,
  type ResourceTag,
  type WizardContext,
  type WizardInput,
  type WizardProblem,
} from "../core/registry-rules";

/**
 * The create-registry wizard's backend: every rule of every tab checked again
 * here (the portal checks the same pure rules as you type, but only this decides),
 * then one transaction that creates the resource group when asked, the registry
 * and the activity entries.
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

export type NameCheck = { name: string; valid: boolean; available: boolean; message: string | null };

/** Live check for the wizard: rules first, then whether the lower-cased name is free. */
export async function checkRegistryName(actor: Actor, input: string): Promise<NameCheck> {
  // Registry names are global (like ACR's); any signed-in person may ask, registry-bound credentials may not.
  if (actor.kind === "admin" || actor.kind === "token" || actor.kind === "anonymous") throw denied("Sign in to check registry names.");
  const name = String(input ?? "").trim().toLowerCase();
  const problem = registryNameProblem(name);
  if (problem) return { name, valid: false, available: false, message: problem };
  const taken = await db().registry.findUnique({ where: { name }, select: { id: true } });
  return taken
    ? { name, valid: true, available: false, message: `The registry name '${name}' is already in use.` }
    : { name, valid: true, available: true, message: null };
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

/** Thrown when the wizard's input has problems; carries all of them so the portal can list them by tab. */
export class WizardInvalid extends WharfError {
  constructor(public problems: WizardProblem[]) {
    super("INVALID", problems[0]?.message ?? "The registry settings are not valid.", { field: problems[0]?.field });
  }
}

export async function createRegistryFromWizard(actor: Actor, input: WizardInput) {
  const rgName = input.resourceGroup.name.trim();
  // Authorisation first: a new resource group needs the organisation scope; an existing one its own.
  const existingRg = input.resourceGroup.mode === "existing" && rgName ? await db().resourceGroup.findUnique({ where: { name: rgName } }) : null;
  await requireActor(actor, "createRegistry", existingRg ? { type: "resourceGroup", resourceGroup: existingRg.name } : { type: "organisation" });

  const problems = wizardProblems(input, wizardContext());
  const has = (field: string) => problems.some((p) => p.field === field);
  if (input.resourceGroup.mode === "existing" && !existingRg && !has("resourceGroup")) {
    problems.push({ tab: "basics", field: "resourceGroup", message: `Resource group '${rgName}' does not exist; pick another or create it.` });
  }
  if (input.resourceGroup.mode === "new" && !has("resourceGroup") && (await db().resourceGroup.findUnique({ where: { name: rgName } }))) {
    problems.push({ tab: "basics", field: "resourceGroup", message: `Resource group '${rgName}' already exists; pick it from the list instead.` });
  }
  const name = input.name.trim().toLowerCase();
  if (!has("name") && (await db().registry.findUnique({ where: { name }, select: { id: true } }))) {
    problems.push({ tab: "basics", field: "name", message: `The registry name '${name}' is already in use.` });
  }
  if (problems.length) throw new WizardInvalid(problems);

  const net = networkingFields(input.publicAccess, input.networkRules);
  const tags = normaliseTags(input.tags);
  try {
    const created = await db().$transaction(async (tx) => {
      let rgId = existingRg?.id;
      if (!rgId) {
        const rg = await tx.resourceGroup.create({ data: { name: rgName, location: input.location } });
        await recordActivity(tx, { actor: actorName(actor), action: "resourceGroup.create", target: rg.name });
        rgId = rg.id;
      }
      const reg = await tx.registry.create({
        data: {
          name,
          sku: input.sku,
          location: input.location,
          resourceGroupId: rgId,
          publicNetworkAccess: net.publicNetworkAccess,
          networkDefaultAction: net.networkDefaultAction,
          networkRules: JSON.stringify(net.networkRules),
          // Only the service-managed key exists; a customer-managed choice was refused above.
          encryption: "service-managed",
          tags: JSON.stringify(tags),
        },
      });
      await recordActivity(tx, {
        actor: actorName(actor),
        action: "registry.create",
        target: name,
        registryId: reg.id,
        after: { resourceGroup: rgName, sku: reg.sku, location: reg.location, ...net, encryption: reg.encryption, tags },
      });
      return reg;
    });
    // A "no such registry" the data plane may have cached for this name is now wrong.
    forgetRegistryPolicy(name);
    return created;
  } catch (err) {
    // Someone took the name (or created the group) between our checks and our insert.
    if (isUniqueViolation(err)) {
      const target = JSON.stringify((err as { meta?: unknown }).meta ?? "");
      if (/ResourceGroup/i.test(target)) throw conflict(`Resource group '${rgName}' already exists; pick it from the list instead.`, "resourceGroup");
      throw conflict(`The registry name '${name}' is already in use.`, "name");
    }
    throw err;
  }
}
