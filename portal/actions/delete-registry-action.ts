"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteRegistry } from "@wharf/lib/services/registries";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), confirmName: z.string().max(200) });

export async function deleteRegistryAction(input: z.input<typeof schema>) {
  return runAction("deleteRegistry", schema, input, async (principal, { registry, confirmName }) => {
    const result = await deleteRegistry(principal, registry, confirmName);
    revalidatePath("/registries");
    return result;
  });
}
