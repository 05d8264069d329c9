"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { precheckScope } from "@wharf/lib/services/prechecks";
import { deleteRepository } from "@wharf/lib/services/repository-delete";
import { authedAction, type Precheck } from "../action-client";

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const repository = z.string().trim().min(1, "Name the repository.").max(255);

/** Authorisation first: a caller who may not delete in the repository learns nothing about the confirmation. */
const mayDelete: Precheck = (principal, raw) =>
  typeof raw.registry === "string" && typeof raw.repository === "string"
    ? precheckScope(principal, `/registries/${raw.registry.trim()}/repositories/${raw.repository.trim()}`, "deleteImage")
    : Promise.resolve();

/** A whole repository, after its name was typed (the service checks the name again). */
export const deleteRepositoryAction = authedAction(
  "deleteRepository",
  z.object({ registry, repository, confirmName: z.string().max(300) }),
  async (input, { principal }) => {
    const out = await deleteRepository(principal, input);
    revalidatePath(`/registries/${input.registry}`, "layout");
    return out;
  },
  mayDelete,
);
