"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { planPurge, precheckPurge, runPurge } from "@wharf/lib/services/purge";
import { authedAction, type Precheck } from "../action-client";

/** The repository page's Purge dialog: preview (nothing deleted), then delete exactly the previewed list. */

const mayPurge: Precheck = (principal, raw) => precheckPurge(principal, raw.registry);

const purgeInput = z.object({
  registry: z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE),
  filters: z.array(z.string().max(256, "A filter may be at most 256 characters long.")).min(1, "Give at least one filter, e.g. hello-world:.*").max(20, "Give at most 20 filters."),
  ago: z.string().trim().max(32).optional(),
  keep: z.number().int("Keep must be a whole number.").min(0, "Keep must be 0 or more.").max(10_000).optional(),
  untagged: z.boolean().optional(),
});

export const previewPurgeAction = authedAction("previewPurge", purgeInput, (input, { principal }) => planPurge(principal, input), mayPurge);

export const runPurgeAction = authedAction(
  "runPurge",
  purgeInput.extend({ fingerprint: z.string().min(1, "Preview first.").max(64) }),
  async (input, { principal }) => {
    const out = await runPurge(principal, input);
    revalidatePath(`/registries/${input.registry}`, "layout");
    return out;
  },
  mayPurge,
);
