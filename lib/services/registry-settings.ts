import { db } from "../core/db";
import { recordActivity } from "./activity";
import { invalid } from "../core/errors";
import { randomSecret, sha256Hex } from "../auth/password";
import { parseCidr } from "../auth/network";
import { forgetRegistryPolicy } from "../auth/registry-policy";
import { isSku, skuLimits, SKU_NAMES } from "../core/skus";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { findRegistry } from "./scope-maps";

export type RegistryUpdate = {
  sku?: string;
  anonymousPullEnabled?: boolean;
  adminUserEnabled?: boolean;
  publicNetworkAccess?: "Enabled" | "Disabled" | string;
  networkDefaultAction?: "Allow" | "Deny" | string;
  networkRules?: string[];
};

export const MAX_NETWORK_RULES = 200;

export function normaliseNetworkRules(rules: string[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const c = parseCidr(r);
    if (!c) throw invalid(`'${r}' is not an IPv4 or IPv6 address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/48).`, "networkRules");
    const text = `${c.address}/${c.prefix}`;
    if (!out.includes(text)) out.push(text);
  }
  if (out.length > MAX_NETWORK_RULES) throw invalid(`At most ${MAX_NETWORK_RULES} network rules.`, "networkRules");
  return out;
}

type Snapshot = {
  sku: string;
  anonymousPullEnabled: boolean;
  adminUserEnabled: boolean;
  publicNetworkAccess: string;
  networkDefaultAction: string;
  networkRules: string[];
};

/** Features the snapshot uses that `sku` lacks, as sentences. */
export function featuresMissingFrom(sku: string, s: Snapshot): string[] {
  const limits = skuLimits(sku);
  const out: string[] = [];
  if (s.anonymousPullEnabled && !limits.anonymousPull) out.push("anonymous pull is enabled (Standard or Premium)");
  const restricted = s.publicNetworkAccess === "Disabled" || s.networkDefaultAction === "Deny" || s.networkRules.length > 0;
  if (restricted && !limits.networkRules) out.push("network rules restrict public access (Premium)");
  return out;
}

/**
 * Changes registry settings after checking the caller may change policies and
 * that the SKU has every feature the result uses. Returns the new settings plus
 * admin passwords when turning on the admin user generated them (shown once).
 */
export async function updateRegistry(actor: Actor, name: string, input: RegistryUpdate) {
  const reg = await findRegistry(name);
  await requireActor(actor, "changePolicies", { type: "registry", registry: reg.name });
  const before: Snapshot = {
    sku: reg.sku,
    anonymousPullEnabled: reg.anonymousPullEnabled,
    adminUserEnabled: reg.adminUserEnabled,
    publicNetworkAccess: reg.publicNetworkAccess,
    networkDefaultAction: reg.networkDefaultAction,
    networkRules: JSON.parse(reg.networkRules) as string[],
  };
  if (input.sku !== undefined && !isSku(input.sku)) throw invalid(`SKU must be one of ${SKU_NAMES.join(", ")}.`, "sku");
  if (input.publicNetworkAccess !== undefined && !["Enabled", "Disabled"].includes(input.publicNetworkAccess)) {
    throw invalid("Public network access must be Enabled or Disabled.", "publicNetworkAccess");
  }
  if (input.networkDefaultAction !== undefined && !["Allow", "Deny"].includes(input.networkDefaultAction)) {
    throw invalid("Default network action must be Allow or Deny.", "networkDefaultAction");
  }
  const after: Snapshot = {
    sku: input.sku ?? before.sku,
    anonymousPullEnabled: input.anonymousPullEnabled ?? before.anonymousPullEnabled,
    adminUserEnabled: input.adminUserEnabled ?? before.adminUserEnabled,
    publicNetworkAccess: input.publicNetworkAccess ?? before.publicNetworkAccess,
    networkDefaultAction: input.networkDefaultAction ?? before.networkDefaultAction,
    networkRules: input.networkRules ? normaliseNetworkRules(input.networkRules) : before.networkRules,
  };
  const missing = featuresMissingFrom(after.sku, after);
  if (missing.length) {
    const field = input.sku !== undefined && input.sku !== before.sku ? "sku" : input.anonymousPullEnabled ? "anonymousPullEnabled" : "networkRules";
    const what = field === "sku" ? `Cannot change registry ${reg.name} to ${after.sku}` : `Registry ${reg.name} is ${after.sku}`;
    throw invalid(`${what}: ${missing.join("; ")} — not available on ${after.sku}.${field === "sku" ? " Turn those features off first." : ` Upgrade with \`wharf registry update --name ${reg.name} --sku Premium\`${field === "anonymousPullEnabled" ? " (or Standard)" : ""}.`}`, field);
  }
  // Turning the admin user on for the first time creates its two passwords.
  const passwords: { name: string; value: string }[] = [];
  const data: Record<string, unknown> = {
    sku: after.sku,
    anonymousPullEnabled: after.anonymousPullEnabled,
    adminUserEnabled: after.adminUserEnabled,
    publicNetworkAccess: after.publicNetworkAccess,
    networkDefaultAction: after.networkDefaultAction,
    networkRules: JSON.stringify(after.networkRules),
  };
  if (after.adminUserEnabled && !reg.adminPassword1Hash && !reg.adminPassword2Hash) {
    const now = new Date();
    for (const n of [1, 2] as const) {
      const value = randomSecret(24);
      passwords.push({ name: `password${n}`, value });
      data[`adminPassword${n}Hash`] = sha256Hex(value);
      data[`adminPassword${n}At`] = now;
    }
  }
  const updated = await db().$transaction(async (tx) => {
    const r = await tx.registry.update({ where: { id: reg.id }, data });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.update", target: reg.name, registryId: reg.id, before, after });
    return r;
  });
  forgetRegistryPolicy(reg.name);
  return { registry: updated, passwords };
}

/** Admin user credentials: the username and when each password was made (values are shown only when generated). */
export async function showAdminCredentials(actor: Actor, name: string) {
  const reg = await findRegistry(name);
  await requireActor(actor, "changePolicies", { type: "registry", registry: reg.name });
  if (!reg.adminUserEnabled) {
    throw invalid(`The admin user of registry ${reg.name} is disabled. Enable it with \`wharf registry update --name ${reg.name} --admin-enabled true\`.`, "adminUserEnabled");
  }
  return {
    username: reg.name,
    passwords: [
      { name: "password1", created: reg.adminPassword1At, set: !!reg.adminPassword1Hash },
      { name: "password2", created: reg.adminPassword2At, set: !!reg.adminPassword2Hash },
    ],
  };
}

/** Regenerates admin password 1 or 2; the new value is returned once. */
export async function renewAdminPassword(actor: Actor, name: string, which: 1 | 2) {
  const reg = await findRegistry(name);
  await requireActor(actor, "changePolicies", { type: "registry", registry: reg.name });
  if (which !== 1 && which !== 2) throw invalid("Choose password1 or password2.", "password");
  if (!reg.adminUserEnabled) {
    throw invalid(`The admin user of registry ${reg.name} is disabled. Enable it with \`wharf registry update --name ${reg.name} --admin-enabled true\`.`, "adminUserEnabled");
  }
  const value = randomSecret(24);
  await db().$transaction(async (tx) => {
    await tx.registry.update({ where: { id: reg.id }, data: { [`adminPassword${which}Hash`]: sha256Hex(value), [`adminPassword${which}At`]: new Date() } });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.renewAdminPassword", target: reg.name, registryId: reg.id, after: { password: `password${which}` } });
  });
  return { username: reg.name, passwords: [{ name: `password${which}`, value }] };
}
