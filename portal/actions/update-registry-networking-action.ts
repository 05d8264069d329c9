"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateRegistryNetworking } from "@wharf/lib/services/registry-settings";
import { runAction } from "../action-client";

const schema = z.object({
  registry: z.string().min(1).max(60),
  publicAccess: z.enum(["all", "selected", "disabled"], "Choose All networks, Selected networks or Disabled."),
  networkRules: z.array(z.string().max(100, "That address range is too long.")).max(200, "At most 200 address ranges."),
});

export async function updateRegistryNetworkingAction(input: z.input<typeof schema>) {
  return runAction("updateRegistryNetworking", schema, input, async (principal, { registry, ...rest }) => {
    const { registry: r } = await updateRegistryNetworking(principal, registry, rest);
    revalidatePath(`/registries/${r.name}`, "layout");
    return { networkRules: JSON.parse(r.networkRules) as string[] };
  });
}
