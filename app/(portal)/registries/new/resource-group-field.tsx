"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { WizardInput } from "@wharf/lib/core/registry-rules";

/** Pick an existing resource group, or (with the right role) name a new one created with the registry. */
export function ResourceGroupField({
  groups,
  canCreate,
  value,
  onChange,
  error,
}: {
  groups: string[];
  canCreate: boolean;
  value: WizardInput["resourceGroup"];
  onChange: (v: WizardInput["resourceGroup"]) => void;
  error?: string;
}) {
  const [lastExisting, setLastExisting] = useState(groups[0] ?? "");
  return (
    <Field id="resource-group" label="Resource group" error={error} hint={value.mode === "new" ? "A new resource group is created together with the registry." : undefined}>
      {value.mode === "existing" ? (
        <div className="flex items-center gap-3">
          <Select
            id="resource-group"
            value={value.name}
            aria-invalid={!!error}
            onChange={(e) => {
              setLastExisting(e.target.value);
              onChange({ mode: "existing", name: e.target.value });
            }}
          >
            <option value="">Select a resource group</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </Select>
          {canCreate ? (
            <Button variant="ghost" size="sm" className="text-accent" onClick={() => onChange({ mode: "new", name: "" })}>
              Create new
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="flex items-center gap-3">
          <Input
            id="resource-group"
            value={value.name}
            placeholder="New resource group name"
            aria-invalid={!!error}
            autoComplete="off"
            maxLength={100}
            onChange={(e) => onChange({ mode: "new", name: e.target.value })}
          />
          {groups.length ? (
            <Button variant="ghost" size="sm" className="text-accent" onClick={() => onChange({ mode: "existing", name: lastExisting })}>
              Pick existing
            </Button>
          ) : null}
        </div>
      )}
    </Field>
  );
}
