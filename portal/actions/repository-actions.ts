"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { suggestRepositories } from "@wharf/lib/services/repositories";
import { deleteTag } from "@wharf/lib/services/tags";
import { deleteManifest } from "@wharf/lib/services/manifests";
import { setLocks } from "@wharf/lib/services/locks";
import { authedAction } from "../action-client";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const repository = z.string().trim().min(1, "Name the repository.").max(255);
const tag = z.string().regex(/^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/, "Not a valid tag.");
const digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "Not a digest; use sha256:<64 hex digits>.");

const revalidate = (r: string) => revalidatePath(`/registries/${r}`, "layout");

export const deleteTagAction = authedAction("deleteTag", z.object({ registry, repository, tag }), async (input, { principal }) => {
  const out = await deleteTag(principal, input);
  revalidate(input.registry);
  return out;
});

export const deleteManifestAction = authedAction("deleteManifest", z.object({ registry, repository, digest }), async (input, { principal }) => {
  const out = await deleteManifest(principal, input);
  revalidate(input.registry);
  return out;
});

const flags = z
  .object({ writeEnabled: z.boolean(), deleteEnabled: z.boolean(), readEnabled: z.boolean(), listEnabled: z.boolean() })
  .partial()
  .refine((f) => Object.keys(f).length > 0, "Choose at least one lock to change.");

export const setLocksAction = authedAction("setLocks", 
  z.object({ registry, repository, tag: tag.optional(), digest: digest.optional(), locks: flags }),
  async ({ locks, ...target }, { principal }) => {
    const out = await setLocks(principal, target, locks);
    revalidate(target.registry);
    return out.changeableAttributes;
  },
);

export const suggestRepositoriesAction = authedAction("suggestRepositories", 
  z.object({ registry, prefix: z.string().max(255).optional() }),
  async (input, { principal }) => suggestRepositories(principal, { ...input, limit: 20 }),
);
