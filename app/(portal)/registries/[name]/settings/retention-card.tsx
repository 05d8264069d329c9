"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { showRetentionAction, updateRetentionAction } from "@/portal/actions/retention-actions";
import { SettingRow } from "./setting-row";
import type { SettingsProps } from "./settings-props";

/** az acr config retention: delete untagged manifests after N days (garbage collection applies it). */
export function RetentionCard({ name, cannotChange }: SettingsProps) {
  const key = ["retention", name];
  const q = useQuery({
    queryKey: key,
    queryFn: async () => {
      const r = await showRetentionAction({ registry: name });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  const [enabled, setEnabled] = useState(false);
  const [days, setDays] = useState("7");
  useEffect(() => {
    if (!q.data) return;
    setEnabled(q.data.status === "enabled");
    setDays(String(q.data.days));
  }, [q.data]);
  const m = useAction(updateRetentionAction, {
    fields: ["days", "status"],
    invalidate: [key],
    success: (d) => (d.status === "enabled" ? `Untagged manifests are deleted after ${d.days} ${d.days === 1 ? "day" : "days"}.` : "Retention disabled."),
  });
  // An emptied field must not save as 0 (which deletes untagged manifests at the next run).
  const daysProblem = /^\d+$/.test(days.trim()) && Number(days) <= 365 ? undefined : "Give a whole number of days from 0 to 365.";
  const dirty = !!q.data && (enabled !== (q.data.status === "enabled") || Number(days) !== q.data.days);
  return (
    <Card>
      <CardHeader title="Retention" description="Delete untagged manifests automatically after a number of days, as ACR's retention policy does." />
      <CardBody className="space-y-4">
        {q.isPending ? (
          <div className="space-y-3" aria-busy="true" aria-label="Loading the retention policy">
            <Skeleton className="h-6 w-2/3" />
            <Skeleton className="h-10 w-40" />
          </div>
        ) : q.isError ? (
          <Alert tone="danger" title="Could not load the retention policy">
            {q.error.message}{" "}
            <button type="button" className="font-medium underline" onClick={() => q.refetch()}>
              Try again
            </button>
          </Alert>
        ) : (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              m.run({ registry: name, status: enabled ? "enabled" : "disabled", days: Number(days) });
            }}
          >
            <SettingRow
              id="retention"
              title="Delete untagged manifests"
              description={
                <>
                  A manifest counts from when it lost its last tag (or from its push, if it never had one). Images pulled by digest stop working once it is deleted; locked manifests and those an
                  index or a tagged image still needs are kept. Garbage collection applies the policy; bytes still used elsewhere stay.
                </>
              }
              control={
                <DisabledReason reason={cannotChange}>
                  <Switch checked={enabled} disabled={!!cannotChange} onChange={(v) => (setEnabled(v), m.reset())} aria-labelledby="retention-label" aria-describedby="retention-desc" />
                </DisabledReason>
              }
            />
            <div className="flex flex-wrap items-end gap-3">
              <div className="w-40">
                <Field id="retention-days" label="Days (0–365)" error={daysProblem ?? m.fieldError("days")}>
                  <Input
                    id="retention-days"
                    type="number"
                    min={0}
                    max={365}
                    step={1}
                    value={days}
                    disabled={!!cannotChange}
                    onChange={(e) => (setDays(e.target.value), m.reset())}
                    aria-invalid={!!(daysProblem ?? m.fieldError("days")) || undefined}
                  />
                </Field>
              </div>
              <DisabledReason reason={cannotChange}>
                <Button type="submit" variant="secondary" disabled={!!cannotChange || !dirty || !!daysProblem} pending={m.pending}>
                  Save retention
                </Button>
              </DisabledReason>
            </div>
            <p className="text-[13px] text-muted" data-testid="retention-status">
              Now: {q.data.status === "enabled" ? `enabled, ${q.data.days} ${q.data.days === 1 ? "day" : "days"}` : "disabled"}.
            </p>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
