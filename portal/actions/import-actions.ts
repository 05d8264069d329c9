"use server";

import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { createImport, getImport, precheckImport } from "@wharf/lib/services/import";
import { authedAction, type Precheck } from "../action-client";

/** The Repositories page's Import dialog: queue an import (az acr import), then follow its job until it ends. */

const mayImport: Precheck = (principal, raw) => precheckImport(principal, raw.registry);

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);

const startInput = z.object({
  registry,
  source: z.string().trim().min(1, "Give the source image, e.g. docker.io/library/alpine:3.20.").max(512, "The source may be at most 512 characters long."),
  // Several targets as typed in one field: separated by spaces or commas.
  images: z.string().max(2048, "Give at most 2048 characters of target images.").optional(),
  username: z.string().max(256).optional(),
  password: z.string().max(4096).optional(),
  includeReferrers: z.boolean().optional(),
  force: z.boolean().optional(),
});

export const startImportAction = authedAction(
  "startImport",
  startInput,
  (input, { principal }) =>
    createImport(principal, {
      registry: input.registry,
      source: input.source,
      images: (input.images ?? "").split(/[\s,]+/).filter(Boolean),
      username: input.username,
      password: input.password,
      includeReferrers: input.includeReferrers,
      force: input.force,
    }),
  mayImport,
);

/** One job's row as it is now (the dialog polls it): whoever asked for it, or a registry reader, may read it. */
export const getImportAction = authedAction(
  "getImport",
  z.object({ registry, id: z.string().trim().max(64) }),
  (input, { principal }) => getImport(principal, input),
);
