"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { updateSoftDeleteAction } from "@/portal/actions/recycle-bin-actions";
import { SettingRow } from "./setting-row";

type Props = { name: string; enabled: boolean; days: number; inBin: number; cannotChange: string | null };

/** Soft delete on/off and its retention in days, saved together. */
export function SoftDeleteForm({ name, enabled, days, inBin, cannotChange }: Props) {
  const [on, setOn] = useState(enabled);
  const [text, setText] = useState(String(days));
  const m = useAction(updateSoftDeleteAction, { success: (d) => (d.status === "enabled" ? `Soft delete on: deleted manifests are kept ${d.days} days.` : "Soft delete off."), fields: ["days"] });
  const n = Number(text);
  const problem = !/^[0-9]+$/.test(text) || n < 1 || n > 90 ? "Enter a whole number of days from 1 to 90." : undefined;
  const dirty = on !== enabled || text !== String(days);
  return (
    <Card id="soft-delete">
      <CardHeader title="Soft delete" description="Keep deleted manifests in a recycle bin, restorable, for a number of days." />
      <CardBody className="space-y-4">
        <SettingRow
          id="soft-delete"
          title="Keep deleted manifests"
          description={
            <>
              Deleted manifests and their tags go to the <Link className="font-medium text-accent hover:underline" href={`/registries/${name}/recycle-bin`}>Recycle bin</Link>
              {inBin ? ` (${inBin} there now)` : ""}; their space is freed only when they expire or are deleted for good.
            </>
          }
          control={
            <DisabledReason reason={cannotChange}>
              <Switch checked={on} disabled={!!cannotChange} onChange={(v) => {
                  setOn(v);
                  m.reset();
                }} aria-labelledby="soft-delete-label" aria-describedby="soft-delete-desc" />
            </DisabledReason>
          }
        />
        <div className="max-w-xs">
          <Field id="soft-delete-days" label="Days in the recycle bin" error={problem ?? m.fieldError("days")} hint="1 to 90. Manifests already in the bin keep the expiry they got when deleted.">
            <Input
              id="soft-delete-days"
              inputMode="numeric"
              value={text}
              disabled={!!cannotChange}
              aria-invalid={!!problem || undefined}
              aria-describedby={problem ? "soft-delete-days-error" : "soft-delete-days-hint"}
              onChange={(e) => {
                setText(e.target.value.trim());
                m.reset();
              }}
            />
          </Field>
        </div>
        <DisabledReason reason={cannotChange}>
          <Button variant="secondary" disabled={!!cannotChange || !dirty || !!problem} pending={m.pending} onClick={() => m.run({ registry: name, status: on ? "enabled" : "disabled", days: n })}>
            Save soft delete
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}
