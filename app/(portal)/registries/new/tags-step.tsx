"use client";

import { TagRows } from "@/components/registries/tag-rows";
import type { RegistryWizard } from "./use-registry-wizard";

/** Tags: resource tags as name/value rows. */
export function TagsStep({ wizard }: { wizard: RegistryWizard }) {
  const { input, set, errorOf } = wizard;
  return (
    <div className="mt-5 max-w-2xl space-y-4">
      <p className="text-sm text-muted">
        Name/value pairs to categorise registries, e.g. <code className="font-mono text-fg">team = payments</code>. Names are unique ignoring case (up
        to 512 characters); values up to 256.
      </p>
      <TagRows tags={input.tags} onChange={(tags, f) => set({ tags }, f)} errorOf={errorOf} />
    </div>
  );
}
