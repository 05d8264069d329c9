"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { pingWebhook, redeliverWebhookEvent } from "@wharf/lib/services/webhook-deliveries";
import { createWebhook, deleteWebhook, rotateWebhookSecret, updateWebhook } from "@wharf/lib/services/webhooks";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";
import { loadWebhooksOverview } from "@/components/webhooks/overview";
import { authedAction, type Precheck } from "../action-client";

/** Authorisation first: a caller without the role is refused before the input is judged. */
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");
const mayRead: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "read");

// Shapes only: the service judges names, URIs, actions, scopes and headers and says what is wrong with each field.
const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const name = z.string().trim().min(1, "Give a name: 5–50 letters and digits.").max(50, "Names are at most 50 characters.");
const fields = {
  uri: z.string().max(2048).optional(),
  actions: z.array(z.string()).max(5).optional(),
  scope: z.string().max(300).optional(),
  headers: z.array(z.string().max(1200)).max(30).optional(),
  status: z.string().max(20).optional(),
};

const revalidate = (r: string) => revalidatePath(`/registries/${r}/webhooks`);

export const webhooksOverviewAction = authedAction("webhooksOverview", z.object({ registry }), async (input, { principal }) => loadWebhooksOverview(principal, input.registry), mayRead);

export const createWebhookAction = authedAction(
  "createWebhook",
  z.object({ registry, name, ...fields }),
  async (input, { principal }) => {
    const hook = await createWebhook(principal, input);
    revalidate(input.registry);
    return { name: hook.name, secret: hook.secret };
  },
  mayChangePolicies,
);

export const updateWebhookAction = authedAction(
  "updateWebhook",
  z.object({ registry, name, ...fields }),
  async (input, { principal }) => {
    const hook = await updateWebhook(principal, input);
    revalidate(input.registry);
    return { name: hook.name, status: hook.status };
  },
  mayChangePolicies,
);

export const deleteWebhookAction = authedAction(
  "deleteWebhook",
  z.object({ registry, name }),
  async (input, { principal }) => {
    const r = await deleteWebhook(principal, input);
    revalidate(input.registry);
    return r;
  },
  mayChangePolicies,
);

export const rotateWebhookSecretAction = authedAction("rotateWebhookSecret", z.object({ registry, name }), async (input, { principal }) => rotateWebhookSecret(principal, input), mayChangePolicies);

export const pingWebhookAction = authedAction(
  "pingWebhook",
  z.object({ registry, name }),
  async (input, { principal }) => {
    const d = await pingWebhook(principal, input);
    return { id: d.id, status: d.status, responseStatus: d.log.at(-1)?.responseStatus ?? null, error: d.log.at(-1)?.error ?? null };
  },
  mayChangePolicies,
);

export const redeliverWebhookAction = authedAction(
  "redeliverWebhook",
  z.object({ registry, name, delivery: z.string().trim().min(1).max(64) }),
  async (input, { principal }) => {
    const d = await redeliverWebhookEvent(principal, input);
    return { id: d.id, status: d.status };
  },
  mayChangePolicies,
);
