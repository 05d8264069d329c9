"use server";

import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { showRetention, updateRetention } from "@wharf/lib/services/retention";
import { authedAction, type Precheck } from "../action-client";

/** The settings page's Retention card (az acr config retention). */

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

export const showRetentionAction = authedAction("showRetention", z.object({ registry }), (input, { principal }) => showRetention(principal, input));

export const updateRetentionAction = authedAction(
  "updateRetention",
  z.object({
    registry,
    status: z.enum(["enabled", "disabled"]),
    days: z.number({ error: "Days must be a number from 0 to 365." }).int("Days must be a whole number.").min(0, "Days must be 0 or more.").max(365, "Days can be at most 365."),
  }),
  (input, { principal }) => updateRetention(principal, { ...input, type: "UntaggedManifests" }),
  mayChangePolicies,
);
