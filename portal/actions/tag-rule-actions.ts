"use server";

import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { createTagRule, deleteTagRule, listTagRules } from "@wharf/lib/services/tag-rules";
import { authedAction, type Precheck } from "../action-client";

/** The settings page's Write-once tags card. Patterns are checked in lib (one set of rules for the portal and the CLI). */

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

export const listTagRulesAction = authedAction("listTagRules", z.object({ registry }), (input, { principal }) => listTagRules(principal, input));

export const createTagRuleAction = authedAction(
  "createTagRule",
  z.object({ registry, tagPattern: z.string().max(200), repositoryPattern: z.string().max(200).optional() }),
  (input, { principal }) => createTagRule(principal, input),
  mayChangePolicies,
);

export const deleteTagRuleAction = authedAction(
  "deleteTagRule",
  z.object({ registry, id: z.string().min(1).max(64) }),
  (input, { principal }) => deleteTagRule(principal, input),
  mayChangePolicies,
);
