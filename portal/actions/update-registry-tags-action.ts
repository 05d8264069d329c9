"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateRegistryTags } from "@wharf/lib/services/registry-settings";
import { runAction } from "../action-client";

const schema = z.object({
  registry: z.string().min(1).max(60),
  tags: z.array(z.object({ name: z.string().max(2000), value: z.string().max(2000) })).max(500),
});

export async function updateRegistryTagsAction(input: z.input<typeof schema>) {
  return runAction("updateRegistryTags", schema, input, async (principal, { registry, tags }) => {
    const r = await updateRegistryTags(principal, registry, tags);
    revalidatePath(`/registries/${r.name}`, "layout");
    return { tags: JSON.parse(r.tags) as { name: string; value: string }[] };
  });
}
