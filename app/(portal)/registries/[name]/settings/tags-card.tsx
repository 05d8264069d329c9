"use client";

import { useState } from "react";
import { TagRows } from "@/components/registries/tag-rows";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { tagProblems, type ResourceTag } from "@wharf/lib/core/registry-rules";
import { updateRegistryTagsAction } from "@/portal/actions/update-registry-tags-action";
import type { SettingsProps } from "./settings-props";

export function TagsCard({ name, tags, cannotChange }: SettingsProps) {
  const [rows, setRows] = useState<ResourceTag[]>(tags);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const m = useAction(updateRegistryTagsAction, { success: "Tags saved.", fields: (f) => f.startsWith("tags") });
  const problems = tagProblems(rows);
  const errorOf = (field: string) => {
    const p = problems.find((x) => (x.index >= 0 ? `tags.${x.index}.${x.field}` : "tags") === field);
    const text = p ? (p.index >= 0 ? `Tag ${p.index + 1}: ${p.message}` : p.message) : undefined;
    return (touched.has(field) || field === "tags" ? text : undefined) ?? m.fieldError(field);
  };
  const dirty = JSON.stringify(rows) !== JSON.stringify(tags);
  return (
    <Card>
      <CardHeader title="Tags" description="Resource tags: name/value pairs to categorise registries." />
      <CardBody className="space-y-4">
        <TagRows
          tags={rows}
          disabled={!!cannotChange}
          errorOf={errorOf}
          onChange={(next, field) => {
            setRows(next);
            m.reset();
            if (field) setTouched((t) => new Set(t).add(field));
          }}
        />
        <DisabledReason reason={cannotChange}>
          <Button variant="secondary" disabled={!!cannotChange || !dirty || problems.length > 0} pending={m.pending} onClick={() => m.run({ registry: name, tags: rows })}>
            Save tags
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}
