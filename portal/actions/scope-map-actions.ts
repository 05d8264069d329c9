"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createScopeMap, deleteScopeMap, updateScopeMap } from "@wharf/lib/services/scope-maps";
import { repositoryActions } from "@wharf/lib/services/tokens";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";

/** Authorisation first: a caller without the role is refused before the input is judged. */
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const name = z.string().trim().regex(/^[A-Za-z0-9_-]{5,50}$/, "Scope map names are 5–50 characters: letters, digits, '-' or '_'.");
const rules = z
  .array(z.object({ repository: z.string().trim().min(1, "Every row needs a repository (a name or prefix/*)."), actions: z.array(z.string()).min(1, "Tick at least one action in every row.") }))
  .min(1, "Add at least one repository.");
const description = z.string().max(256, "Keep the description under 256 characters.").optional();

const revalidate = (r: string) => revalidatePath(`/registries/${r}`, "layout");

export const createScopeMapAction = authedAction("createScopeMap", z.object({ registry, name, description, rules }), async (input, { principal }) => {
  const m = await createScopeMap(principal, { registry: input.registry, name: input.name, description: input.description, actions: repositoryActions(input.rules) });
  revalidate(input.registry);
  return { name: m.name };
}, mayChangePolicies);

export const updateScopeMapAction = authedAction("updateScopeMap", z.object({ registry, name, description, rules }), async (input, { principal }) => {
  const m = await updateScopeMap(principal, { registry: input.registry, name: input.name, description: input.description, actions: repositoryActions(input.rules) });
  revalidate(input.registry);
  return { name: m.name };
}, mayChangePolicies);

export const deleteScopeMapAction = authedAction("deleteScopeMap", z.object({ registry, name }), async (input, { principal }) => {
  await deleteScopeMap(principal, input);
  revalidate(input.registry);
  return { deleted: true };
}, mayChangePolicies);
