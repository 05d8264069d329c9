"use server";

import { z } from "zod";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { gcStatus, requestGc } from "@wharf/lib/services/gc-jobs";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";
import { gcPanelStatus } from "../gc-status";

/** The registry overview's garbage-collection panel: its figures (polled while a run is on) and "Run now". */

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);

const mayRead: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "read");
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

export const gcStatusAction = authedAction("gcStatus", z.object({ registry }), async (input, { principal }) => gcPanelStatus(await gcStatus(principal, input.registry)), mayRead);

export const requestGcAction = authedAction(
  "requestGc",
  z.object({ registry }),
  async (input, { principal }) => gcPanelStatus(await requestGc(principal, input.registry)),
  mayChangePolicies,
);
