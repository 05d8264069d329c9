"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createToken, deleteToken, generateTokenPassword, updateToken } from "@wharf/lib/services/tokens";
import { precheckRegistry } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";
import { REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE } from "@wharf/lib/core/registry-rules";

/** Authorisation first: a caller without the role is refused before the input is judged. */
const mayChangePolicies: Precheck = (principal, raw) => precheckRegistry(principal, raw.registry, "changePolicies");

const registry = z.string().trim().toLowerCase().regex(REGISTRY_NAME_PATTERN, REGISTRY_NAME_RULE);
const name = z.string().trim().regex(/^[A-Za-z0-9_-]{5,50}$/, "Token names are 5–50 characters: letters, digits, '-' or '_'.");
const rule = z.object({ repository: z.string().trim().min(1, "Name the repository."), actions: z.array(z.string()).min(1, "Tick at least one action.") });

const revalidate = (r: string) => revalidatePath(`/registries/${r}`, "layout");

export const createTokenAction = authedAction("createToken", 
  z
    .object({ registry, name, scopeMap: z.string().trim().min(1).optional(), repositories: z.array(rule).optional() })
    .refine((v) => !!v.scopeMap !== !!v.repositories?.length, { message: "Choose an existing scope map, or add repositories with actions.", path: ["scopeMap"] }),
  async (input, { principal }) => {
    const t = await createToken(principal, { ...input, generatePasswords: false });
    revalidate(input.registry);
    return { name: t.name, scopeMap: t.scopeMap };
  },
  mayChangePolicies,
);

export const generateTokenPasswordAction = authedAction("generateTokenPassword", 
  z.object({
    registry,
    name,
    password: z.union([z.literal(1), z.literal(2)]),
    expiry: z
      .string()
      .optional()
      .transform((v) => (v ? new Date(v) : null))
      .refine((d) => d === null || !Number.isNaN(d.getTime()), "Not a valid date."),
  }),
  async (input, { principal }) => {
    const out = await generateTokenPassword(principal, input);
    revalidate(input.registry);
    return { username: out.username, password: out.passwords[0].value, expiry: out.passwords[0].expiry?.toISOString() ?? null };
  },
  mayChangePolicies,
);

export const setTokenStatusAction = authedAction("setTokenStatus", 
  z.object({ registry, name, status: z.enum(["enabled", "disabled"]) }),
  async (input, { principal }) => {
    const t = await updateToken(principal, input);
    revalidate(input.registry);
    return { status: t.status };
  },
  mayChangePolicies,
);

export const deleteTokenAction = authedAction("deleteToken", z.object({ registry, name }), async (input, { principal }) => {
  await deleteToken(principal, input);
  revalidate(input.registry);
  return { deleted: true };
}, mayChangePolicies);
