"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteRegistryAs } from "@wharf/lib/services/registry-manage";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), confirmName: z.string().max(200) });

export async function deleteRegistryAction(input: z.input<typeof schema>) {
  return runAction("deleteRegistry", schema, input, async (principal, { registry, confirmName }) => {
    const result = await deleteRegistryAs(principal, registry, confirmName);
    revalidatePath("/registries");
    return result;
  });
}
