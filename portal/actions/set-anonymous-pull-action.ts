"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateRegistry } from "@wharf/lib/services/registry-settings";
import { showRegistry } from "@wharf/lib/services/registries";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), enabled: z.boolean("Choose on or off.") });

/** Live for the next token: the token endpoint reads the flag on every request. */
export async function setAnonymousPullAction(input: z.input<typeof schema>) {
  return runAction("setAnonymousPull", schema, input, async (principal, { registry, enabled }) => {
    const reg = await showRegistry(principal, registry);
    const { registry: r } = await updateRegistry(principal, reg.name, { anonymousPullEnabled: enabled });
    revalidatePath(`/registries/${reg.name}`, "layout");
    return { anonymousPullEnabled: r.anonymousPullEnabled };
  });
}
