"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateRegistry } from "@wharf/lib/services/registry-settings";
import { showRegistry } from "@wharf/lib/services/registries";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), enabled: z.boolean("Choose on or off.") });

/** Turning the admin user on the first time generates both passwords, returned once. */
export async function setAdminUserAction(input: z.input<typeof schema>) {
  return runAction("setAdminUser", schema, input, async (principal, { registry, enabled }) => {
    const reg = await showRegistry(principal, registry);
    const { registry: r, passwords } = await updateRegistry(principal, reg.name, { adminUserEnabled: enabled });
    revalidatePath(`/registries/${reg.name}`, "layout");
    return { adminUserEnabled: r.adminUserEnabled, passwords };
  });
}
