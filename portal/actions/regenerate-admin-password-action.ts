"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { renewAdminPassword } from "@wharf/lib/services/registry-credentials";
import { showRegistry } from "@wharf/lib/services/registries";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), which: z.union([z.literal(1), z.literal(2)], "Choose password 1 or 2.") });

export async function regenerateAdminPasswordAction(input: z.input<typeof schema>) {
  return runAction("regenerateAdminPassword", schema, input, async (principal, { registry, which }) => {
    const reg = await showRegistry(principal, registry);
    const result = await renewAdminPassword(principal, reg.name, which);
    revalidatePath(`/registries/${reg.name}`, "layout");
    return result;
  });
}
