"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { findRegistry } from "@wharf/lib/services/load-registry";
import { listManifestPage } from "@wharf/lib/services/manifest-list";
import { deleteManifests } from "@wharf/lib/services/manifests";
import { precheckScope } from "@wharf/lib/services/prechecks";
import { requireRepositoryRead } from "@wharf/lib/services/repository-access";
import { authedAction, type Precheck } from "../action-client";
import { MANIFEST_FILTERS, manifestItemPage } from "../manifest-rows";

/** The manifests view of a repository page: list (every manifest, tagged or not) and delete several at once. */

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const repository = z.string().trim().min(1, "Name the repository.").max(255);
const digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "Not a digest; use sha256:<64 hex digits>.");

/** Authorisation first: the raw registry and repository are looked up before any of the input is judged. */
const mayRead: Precheck = async (principal, raw) => {
  if (typeof raw.repository !== "string") return;
  const reg = await findRegistry(raw.registry);
  if (reg) await requireRepositoryRead(principal, reg, raw.repository.trim());
};
const mayDelete: Precheck = (principal, raw) =>
  typeof raw.registry === "string" && typeof raw.repository === "string"
    ? precheckScope(principal, `/registries/${raw.registry.trim()}/repositories/${raw.repository.trim()}`, "deleteImage")
    : Promise.resolve();

export const listManifestsAction = authedAction(
  "listManifests",
  z.object({ registry, repository, filter: z.enum(MANIFEST_FILTERS).default("all"), cursor: z.string().max(2000).nullable().default(null) }),
  async (input, { principal }) => manifestItemPage(await listManifestPage(principal, input)),
  mayRead,
);

export const deleteManifestsAction = authedAction(
  "deleteManifests",
  z.object({
    registry,
    repository,
    digests: z.array(digest).min(1, "Choose at least one manifest to delete.").max(500, "Delete at most 500 manifests at a time."),
  }),
  async (input, { principal }) => {
    const results = await deleteManifests(principal, input);
    if (results.some((r) => r.deleted)) revalidatePath(`/registries/${input.registry}`, "layout");
    return results;
  },
  mayDelete,
);
