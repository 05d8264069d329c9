"use client";

import { cn } from "@/components/ui/cn";
import type { WizardProps } from "./use-registry-wizard";

const fmt = new Intl.NumberFormat("en");

/** The SKUs as cards showing their configured limits and the features Wharf implements (nothing it only names). */
export function SkuPicker({ skus, value, onChange }: { skus: WizardProps["skus"]; value: string; onChange: (sku: string) => void }) {
  return (
    <fieldset>
      <legend className="mb-1.5 block text-sm font-medium text-fg">SKU</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {skus.map(({ name, limits }) => {
          const checked = value === name;
          const features = [
            limits.anonymousPull && "Anonymous pull",
            limits.networkRules && "Network rules",
          ].filter(Boolean) as string[];
          return (
            <label
              key={name}
              className={cn(
                "relative flex cursor-pointer flex-col rounded-lg border p-3.5 text-sm transition-colors has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-focus/30",
                checked ? "border-accent bg-accent-soft/50 ring-1 ring-accent" : "border-line-strong hover:bg-hover",
              )}
            >
              <input type="radio" name="sku" value={name} checked={checked} onChange={() => onChange(name)} className="sr-only" aria-describedby={`sku-${name}-limits`} />
              <span className="flex items-center justify-between font-semibold text-fg">
                {name}
                <span className={cn("flex size-4 items-center justify-center rounded-full border", checked ? "border-accent bg-accent" : "border-line-strong")}>
                  {checked ? <span className="size-1.5 rounded-full bg-accent-fg" /> : null}
                </span>
              </span>
              <dl id={`sku-${name}-limits`} className="mt-2 space-y-0.5 text-[12.5px] text-muted">
                <div className="flex justify-between gap-2">
                  <dt>Included storage</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.includedStorageGiB)} GiB</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Reads / min</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.readOpsPerMinute)}</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Writes / min</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.writeOpsPerMinute)}</dd>
                </div>
                <div className="flex justify-between gap-2">
                  <dt>Webhooks</dt>
                  <dd className="font-medium text-fg">{fmt.format(limits.webhooks)}</dd>
                </div>
              </dl>
              <p className="mt-2 border-t border-line pt-2 text-[12px] text-muted">{features.length ? features.join(" · ") : "Core registry features"}</p>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
