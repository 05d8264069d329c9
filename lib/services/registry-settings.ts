import { db } from "../core/db";
import { invalid, notFound } from "../core/errors";
import { isSku, SKU_NAMES } from "../core/skus";
import { networkRuleProblem, type PublicAccess, type ResourceTag, type WizardProblem } from "../core/registry-rules";
import { randomSecret, sha256Hex } from "../auth/password";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { recordActivity } from "./activity";
import { loaded, REGISTRY_INCLUDE, registryScope } from "./load-registry";
import { showRegistry } from "./registries";
import { featuresMissingFrom, networkingFields, normaliseNetworkRules, normaliseTags, settingsOf, WizardInvalid, type RegistrySettings } from "./registry-fields";

/** Changing an existing registry's settings: the portal's settings cards and `wharf registry update`. */

export type RegistryUpdate = Partial<RegistrySettings>;

/** Checks and normalises the fields given; the others stay undefined (not to be written). */
function checkUpdate(input: RegistryUpdate): RegistryUpdate {
  if (!input || typeof input !== "object") throw invalid("Give the settings to change.", "registry");
  const out: RegistryUpdate = {};
  if (input.sku !== undefined) {
    if (!isSku(input.sku)) throw invalid(`SKU must be one of ${SKU_NAMES.join(", ")}.`, "sku");
    out.sku = input.sku;
  }
  for (const flag of ["anonymousPullEnabled", "adminUserEnabled"] as const) {
    if (input[flag] === undefined) continue;
    if (typeof input[flag] !== "boolean") throw invalid(`${flag} must be true or false.`, flag);
    out[flag] = input[flag];
  }
  if (input.publicNetworkAccess !== undefined) {
    if (!["Enabled", "Disabled"].includes(input.publicNetworkAccess)) throw invalid("Public network access must be Enabled or Disabled.", "publicNetworkAccess");
    out.publicNetworkAccess = input.publicNetworkAccess;
  }
  if (input.networkDefaultAction !== undefined) {
    if (!["Allow", "Deny"].includes(input.networkDefaultAction)) throw invalid("Default network action must be Allow or Deny.", "networkDefaultAction");
    out.networkDefaultAction = input.networkDefaultAction;
  }
  if (input.networkRules !== undefined) out.networkRules = normaliseNetworkRules(input.networkRules);
  if (!Object.keys(out).length) throw invalid("Nothing to change: give at least one setting.", "registry");
  return out;
}

const pick = (s: RegistrySettings, fields: (keyof RegistrySettings)[]) => Object.fromEntries(fields.map((f) => [f, s[f]]));

/**
 * Changes registry settings after checking the caller may change policies and
 * that the SKU has every feature the result uses. Writes only the fields given,
 * deciding on the row as it is inside the transaction, so two people saving
 * different settings at once both keep theirs. `change` may be a function of the
 * current settings (e.g. "add this network rule"), evaluated inside the transaction.
 * Returns the registry plus admin passwords when turning on the admin user generated them (shown once).
 */
export async function updateRegistry(actor: Actor, name: string, change: RegistryUpdate | ((current: RegistrySettings) => RegistryUpdate)) {
  const reg = await showRegistry(actor, name);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (typeof change !== "function") checkUpdate(change); // bad input fails before any write
  const result = await db().$transaction(async (tx) => {
    // Write first to take the row's lock (SQLite: the database write lock; PostgreSQL: the row lock): a
    // concurrent update of this registry waits here and then reads what this one committed.
    const touched = await tx.registry.updateMany({ where: { id: reg.id }, data: { updatedAt: new Date() } });
    if (!touched.count) throw notFound(`Registry '${reg.name}' not found.`, "registry");
    const row = await tx.registry.findUniqueOrThrow({ where: { id: reg.id } });
    const before = settingsOf(row);
    const given = checkUpdate(typeof change === "function" ? change(before) : change);
    const fields = Object.keys(given) as (keyof RegistrySettings)[];
    const after: RegistrySettings = { ...before, ...given };
    const missing = featuresMissingFrom(after.sku, after);
    if (missing.length) {
      const field = given.sku !== undefined && given.sku !== before.sku ? "sku" : given.anonymousPullEnabled ? "anonymousPullEnabled" : "networkRules";
      const what = field === "sku" ? `Cannot change registry ${reg.name} to ${after.sku}` : `Registry ${reg.name} is ${after.sku}`;
      const next =
        field === "sku"
          ? " Turn those features off first."
          : ` Upgrade with \`wharf registry update --name ${reg.name} --sku Premium\`${field === "anonymousPullEnabled" ? " (or Standard)" : ""}.`;
      throw invalid(`${what}: ${missing.join("; ")} — not available on ${after.sku}.${next}`, field);
    }
    const data: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f, f === "networkRules" ? JSON.stringify(after.networkRules) : after[f]]));
    // Turning the admin user on for the first time creates its two passwords.
    const passwords: { name: string; value: string }[] = [];
    if (given.adminUserEnabled && !row.adminPassword1Hash && !row.adminPassword2Hash) {
      const now = new Date();
      for (const n of [1, 2] as const) {
        const value = randomSecret(24);
        passwords.push({ name: `password${n}`, value });
        data[`adminPassword${n}Hash`] = sha256Hex(value);
        data[`adminPassword${n}At`] = now;
      }
    }
    const updated = await tx.registry.update({ where: { id: reg.id }, data, include: REGISTRY_INCLUDE });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.update", target: reg.name, registryId: reg.id, before: pick(before, fields), after: pick(after, fields) });
    return { registry: loaded(updated), passwords };
  });
  forgetRegistryPolicy(reg.name);
  return result;
}

/** Allows one more address range (`az acr network-rule add`). */
export async function addNetworkRule(actor: Actor, name: string, rule: string) {
  const [add] = normaliseNetworkRules([rule]);
  return updateRegistry(actor, name, (current) => ({ networkRules: [...current.networkRules, add] }));
}

/** Removes an allowed address range; INVALID when it is not among the rules. */
export async function removeNetworkRule(actor: Actor, name: string, rule: string) {
  const [drop] = normaliseNetworkRules([rule]);
  return updateRegistry(actor, name, (current) => {
    if (!current.networkRules.includes(drop)) {
      throw invalid(`${drop} is not among the network rules of this registry: ${current.networkRules.join(", ") || "none"}.`, "networkRules");
    }
    return { networkRules: current.networkRules.filter((r) => r !== drop) };
  });
}

/** Public access and network rules in the wizard's terms; each rule row is checked with its own message. */
export async function updateRegistryNetworking(actor: Actor, name: string, input: { publicAccess: PublicAccess; networkRules: string[] }) {
  const reg = await showRegistry(actor, name);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (input.publicAccess === "selected") {
    // Every row's problem at once, each on its own row; blank rows are ignored.
    const problems: WizardProblem[] = [];
    if (!input.networkRules.some((r) => r.trim())) problems.push({ tab: "networking", field: "networkRules", message: "Add at least one address range, or allow all networks." });
    input.networkRules.forEach((r, i) => {
      const p = r.trim() ? networkRuleProblem(r) : null;
      if (p) problems.push({ tab: "networking", field: `networkRules.${i}`, message: `Rule ${i + 1}: ${p}` });
    });
    if (problems.length) throw new WizardInvalid(problems);
  }
  return updateRegistry(actor, reg.name, networkingFields(input.publicAccess, input.networkRules));
}

/** Replaces the registry's resource tags. */
export async function updateRegistryTags(actor: Actor, name: string, tags: ResourceTag[]) {
  const reg = await showRegistry(actor, name);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const next = normaliseTags(tags);
  return db().$transaction(async (tx) => {
    const previous = await tx.registry.findUnique({ where: { id: reg.id }, select: { tags: true } });
    if (!previous) throw notFound(`Registry '${reg.name}' not found.`, "registry");
    const current = await tx.registry.update({ where: { id: reg.id }, data: { tags: JSON.stringify(next) }, include: REGISTRY_INCLUDE });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.updateTags", target: reg.name, registryId: reg.id, before: { tags: JSON.parse(previous.tags) }, after: { tags: next } });
    return loaded(current);
  });
}
