"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createRegistry } from "@wharf/lib/services/registries";
import { runAction } from "../action-client";

// Shape and size only; every rule of every tab is checked by lib/services/registries.ts.
const schema = z.object({
  resourceGroup: z.object({ mode: z.enum(["existing", "new"]), name: z.string().max(200) }),
  name: z.string().max(200),
  location: z.string().max(100),
  sku: z.string().max(40),
  publicAccess: z.enum(["all", "selected", "disabled"], "Choose All networks, Selected networks or Disabled."),
  networkRules: z.array(z.string().max(100, "That address range is too long.")).max(500),
  encryption: z.string().max(40),
  tags: z.array(z.object({ name: z.string().max(2000), value: z.string().max(2000) })).max(500),
});

export async function createRegistryAction(input: z.input<typeof schema>) {
  return runAction("createRegistry", schema, input, async (principal, data) => {
    const reg = await createRegistry(principal, data);
    revalidatePath("/registries");
    return { name: reg.name };
  });
}
