"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createCacheRule, deleteCacheRule } from "@wharf/lib/services/cache-rules";
import { createCredentialSet, deleteCredentialSet, updateCredentialSet } from "@wharf/lib/services/credential-sets";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { authedAction, type Precheck } from "../action-client";
import { loadCacheOverview } from "../cache-overview";

/** Authorisation first: a caller without the role is refused before the input is judged. */
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");
const mayRead: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "read");

// Shapes only: the services judge names, hosts and repositories and say what is wrong with each field.
const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const name = z.string().trim().min(1, "Give a name: 5–50 letters, digits and hyphens.").max(50, "Names are at most 50 characters.");
const password = z.string().min(1, "Give the upstream account's password or access token.").max(4096, "The password is longer than 4096 characters.");

const revalidate = (r: string) => revalidatePath(`/registries/${r}/cache`);

/** The Cache tab's figures, polled while it is open (rule counters reach the database every few seconds). */
export const cacheOverviewAction = authedAction("cacheOverview", z.object({ registry }), async (input, { principal }) => loadCacheOverview(principal, input.registry), mayRead);

export const createCredentialSetAction = authedAction(
  "createCredentialSet",
  z.object({ registry, name, loginServer: z.string().trim().min(1, "Give the upstream's login server, e.g. docker.io."), username: z.string().trim().min(1, "Give the upstream account name."), password }),
  async (input, { principal }) => {
    const set = await createCredentialSet(principal, input);
    revalidate(input.registry);
    return { name: set.name, healthy: set.healthy, lastLoginError: set.lastLoginError };
  },
  mayChangePolicies,
);

export const updateCredentialSetPasswordAction = authedAction(
  "updateCredentialSetPassword",
  z.object({ registry, name, password }),
  async (input, { principal }) => {
    const set = await updateCredentialSet(principal, input);
    revalidate(input.registry);
    return { name: set.name, healthy: set.healthy, lastLoginError: set.lastLoginError };
  },
  mayChangePolicies,
);

export const deleteCredentialSetAction = authedAction(
  "deleteCredentialSet",
  z.object({ registry, name }),
  async (input, { principal }) => {
    await deleteCredentialSet(principal, input);
    revalidate(input.registry);
    return { deleted: true };
  },
  mayChangePolicies,
);

export const createCacheRuleAction = authedAction(
  "createCacheRule",
  z.object({
    registry,
    name,
    sourceRepo: z.string().trim().min(1, "Give the upstream repository, e.g. docker.io/library/ubuntu or docker.io/bitnami/*."),
    targetRepo: z.string().trim().min(1, "Give the repository name in this registry, e.g. ubuntu or bitnami/*."),
    credentialSet: z.string().trim().optional(),
    ttlSeconds: z.string().trim().optional(),
  }),
  async (input, { principal }) => {
    const rule = await createCacheRule(principal, { ...input, credentialSet: input.credentialSet || undefined });
    revalidate(input.registry);
    return { name: rule.name };
  },
  mayChangePolicies,
);

export const deleteCacheRuleAction = authedAction(
  "deleteCacheRule",
  z.object({ registry, name }),
  async (input, { principal }) => {
    await deleteCacheRule(principal, input);
    revalidate(input.registry);
    return { deleted: true };
  },
  mayChangePolicies,
);
