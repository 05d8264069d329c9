"use server";

import { z } from "zod";
import { checkRegistryName } from "@wharf/lib/services/registries";
import { loginServerResolver } from "../login-server";
import { runAction } from "../action-client";

const schema = z.object({ name: z.string().max(200, "The name must be at most 50 characters.") });

/** The wizard's live name check: rules, availability, and the login server the name would get. */
export async function checkRegistryNameAction(input: z.input<typeof schema>) {
  return runAction("checkRegistryName", schema, input, async (principal, { name }) => {
    const check = await checkRegistryName(principal, name);
    return { ...check, loginServer: check.valid ? (await loginServerResolver())(check.name) : null };
  });
}
