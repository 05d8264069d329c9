import { db } from "../core/db";
import { invalid, notFound } from "../core/errors";
import { canonicalRegistryName, REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE, type ResourceTag } from "../core/registry-rules";
import type { Prisma, Registry } from "../generated/prisma/client";

/**
 * The one way a service finds a registry by the name a person typed: case-insensitive,
 * checked against the one name rule, with its resource group and its JSON columns
 * parsed. Authorisation stays with the caller (each service knows the operation).
 */

type Client = Prisma.TransactionClient;

export type LoadedRegistry = Registry & {
  resourceGroupName: string | null;
  networkRuleList: string[];
  tagList: ResourceTag[];
};

/** What to include when reading registry rows that `loaded` turns into LoadedRegistry. */
export const REGISTRY_INCLUDE = { resourceGroup: { select: { name: true } } } as const;

export function loaded(r: Registry & { resourceGroup: { name: string } | null }): LoadedRegistry {
  const { resourceGroup, ...row } = r;
  return {
    ...row,
    resourceGroupName: resourceGroup?.name ?? null,
    networkRuleList: JSON.parse(r.networkRules) as string[],
    tagList: JSON.parse(r.tags) as ResourceTag[],
  };
}

/** The registry, or null when the name is malformed or no registry has it. */
export async function findRegistry(name: unknown, client: Client = db()): Promise<LoadedRegistry | null> {
  const key = canonicalRegistryName(name);
  if (!REGISTRY_NAME_PATTERN.test(key)) return null;
  const r = await client.registry.findUnique({ where: { name: key }, include: REGISTRY_INCLUDE });
  return r ? loaded(r) : null;
}

/** The registry; INVALID (field `registry`) for a malformed name, NOT_FOUND when absent. */
export async function loadRegistry(name: unknown, client: Client = db()): Promise<LoadedRegistry> {
  const key = canonicalRegistryName(name);
  if (!REGISTRY_NAME_PATTERN.test(key)) throw invalid(`'${String(name ?? "")}' is not a registry name. ${REGISTRY_NAME_RULE}`, "registry");
  const reg = await findRegistry(key, client);
  if (!reg) throw notFound(`Registry '${key}' not found.`, "registry");
  return reg;
}

/** The scope a registry-level permission is checked at (its resource group included, so inherited roles count). */
export function registryScope(reg: { name: string; resourceGroupName: string | null }) {
  return { type: "registry", registry: reg.name, resourceGroup: reg.resourceGroupName } as const;
}

