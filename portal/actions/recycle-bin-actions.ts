"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isWharfError } from "@wharf/lib/core/errors";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { deleteNow, precheckDeleteNow, precheckRestore, restore, updateSoftDelete } from "@wharf/lib/services/recycle-bin";
import { authedAction, type Precheck } from "../action-client";

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const repository = z.string().trim().min(1, "Name the repository.").max(255);
const digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "Not a digest; use sha256:<64 hex digits>.");

const revalidate = (r: string) => revalidatePath(`/registries/${r}`, "layout");

/** One restore of a multi-select: what came back, or why not (`field` "tag": a tag moved since; force may help). */
export type RestoreOutcome = {
  repository: string;
  digest: string;
  ok: boolean;
  tags: string[];
  movedTags: string[];
  restored: number;
  code?: string;
  field?: string;
  message?: string;
};

const items = (raw: Record<string, unknown>) => (Array.isArray(raw.items) ? raw.items.map((i) => (i && typeof i === "object" ? (i as { repository?: unknown }).repository : undefined)) : []);
const mayRestore: Precheck = (principal, raw) => precheckRestore(principal, raw.registry, items(raw));
const mayDeleteNow: Precheck = (principal, raw) => precheckDeleteNow(principal, raw.registry, raw.ids);
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

/** Restores each chosen manifest on its own: one refused (a moved tag, a lock) does not stop the others. */
export const restoreDeletedAction = authedAction(
  "restoreDeleted",
  z.object({ registry, items: z.array(z.object({ repository, digest })).min(1, "Choose at least one manifest.").max(100, "Restore at most 100 at a time."), force: z.boolean().optional() }),
  async (input, { principal }) => {
    const out: RestoreOutcome[] = [];
    for (const item of input.items) {
      try {
        const r = await restore(principal, { registry: input.registry, ...item, force: input.force });
        out.push({ ...item, ok: true, tags: r.tags, movedTags: r.movedTags, restored: r.manifests.length });
      } catch (err) {
        if (!isWharfError(err) || err.code === "DENIED") throw err;
        out.push({ ...item, ok: false, tags: [], movedTags: [], restored: 0, code: err.code, field: err.field, message: err.message });
      }
    }
    revalidate(input.registry);
    return out;
  },
  mayRestore,
);

export const deleteDeletedNowAction = authedAction(
  "deleteDeletedNow",
  z.object({ registry, ids: z.array(z.string().min(1).max(64)).min(1, "Choose at least one manifest.").max(500, "Delete at most 500 at a time.") }),
  async (input, { principal }) => {
    const out = await deleteNow(principal, input);
    revalidate(input.registry);
    return out;
  },
  mayDeleteNow,
);

export const updateSoftDeleteAction = authedAction(
  "updateSoftDelete",
  z.object({
    registry,
    status: z.enum(["enabled", "disabled"]),
    days: z.number("Days must be a number.").int("Days must be a whole number.").min(1, "Keep deleted manifests at least 1 day.").max(90, "Keep deleted manifests at most 90 days."),
  }),
  async (input, { principal }) => {
    const out = await updateSoftDelete(principal, input);
    revalidate(input.registry);
    return out;
  },
  mayChangePolicies,
);
