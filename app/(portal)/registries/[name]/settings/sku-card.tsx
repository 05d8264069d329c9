"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { changeRegistrySkuAction } from "@/portal/actions/change-registry-sku-action";
import type { SettingsProps } from "./settings-props";

export function SkuCard({ name, sku, skus, cannotChange }: SettingsProps) {
  const [target, setTarget] = useState(sku);
  // A refusal ("uses network rules, which Standard lacks") shows under the SKU select.
  const m = useAction(changeRegistrySkuAction, { success: (d) => `${name} is now ${d.sku}.`, fields: ["sku"] });
  return (
    <Card>
      <CardHeader title="SKU" description="A lower SKU is refused while the registry uses a feature only the current one has." />
      <CardBody>
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-56">
            <Field id="sku-select" label="SKU" error={m.fieldError("sku")}>
              <Select id="sku-select" value={target} disabled={!!cannotChange} onChange={(e) => (setTarget(e.target.value), m.reset())}>
                {skus.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                    {s.name === sku ? " (current)" : ""}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <DisabledReason reason={cannotChange}>
            <Button
              variant="secondary"
              disabled={!!cannotChange || target === sku}
              pending={m.pending}
              onClick={() => m.run({ registry: name, sku: target as "Basic" | "Standard" | "Premium" })}
            >
              Change SKU
            </Button>
          </DisabledReason>
        </div>
      </CardBody>
    </Card>
  );
}
