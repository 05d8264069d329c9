"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateRegistry } from "@wharf/lib/services/registry-settings";
import { showRegistry } from "@wharf/lib/services/registries";
import { SKU_NAMES } from "@wharf/lib/core/skus";
import { runAction } from "../action-client";

const schema = z.object({ registry: z.string().min(1).max(60), sku: z.enum(SKU_NAMES, `Choose a SKU: ${SKU_NAMES.join(", ")}.`) });

/** Refused (with the features in the way) when the registry uses something the new SKU lacks. */
export async function changeRegistrySkuAction(input: z.input<typeof schema>) {
  return runAction("changeRegistrySku", schema, input, async (principal, { registry, sku }) => {
    const reg = await showRegistry(principal, registry);
    const { registry: r } = await updateRegistry(principal, reg.name, { sku });
    revalidatePath(`/registries/${reg.name}`, "layout");
    return { sku: r.sku };
  });
}
