"use client";

import { MAX_TAGS, type ResourceTag } from "@wharf/lib/core/registry-rules";
import { Button } from "../ui/button";
import { PlusIcon, TrashIcon } from "../ui/icons";
import { Input } from "../ui/input";

/** Editable resource-tag rows (name / value), used by the create wizard's Tags step and by the settings page. */
export function TagRows({
  tags,
  onChange,
  errorOf,
  disabled,
}: {
  tags: ResourceTag[];
  onChange: (tags: ResourceTag[], field?: string) => void;
  errorOf: (field: string) => string | undefined;
  disabled?: boolean;
}) {
  return (
    <div className="space-y-2">
      {tags.length ? (
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_2.5rem] gap-x-2 text-[13px] font-medium text-muted">
          <span>Name</span>
          <span>Value</span>
        </div>
      ) : null}
      {tags.map((t, i) => {
        const nameErr = errorOf(`tags.${i}.name`);
        const valueErr = errorOf(`tags.${i}.value`);
        return (
          <div key={i}>
            <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_2.5rem] items-center gap-2">
              <Input
                aria-label={`Tag ${i + 1} name`}
                value={t.name}
                disabled={disabled}
                aria-invalid={!!nameErr}
                maxLength={600}
                onChange={(e) => onChange(tags.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)), `tags.${i}.name`)}
              />
              <Input
                aria-label={`Tag ${i + 1} value`}
                value={t.value}
                disabled={disabled}
                aria-invalid={!!valueErr}
                maxLength={300}
                onChange={(e) => onChange(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)), `tags.${i}.value`)}
              />
              <Button variant="ghost" size="sm" aria-label={`Remove tag ${i + 1}`} disabled={disabled} onClick={() => onChange(tags.filter((_, j) => j !== i))}>
                <TrashIcon className="size-4" />
              </Button>
            </div>
            {nameErr || valueErr ? <p className="mt-1 text-[13px] text-danger">{nameErr ?? valueErr}</p> : null}
          </div>
        );
      })}
      {errorOf("tags") ? <p className="text-[13px] text-danger">{errorOf("tags")}</p> : null}
      <div className="flex items-center gap-3">
        <Button variant="secondary" size="sm" disabled={disabled || tags.length >= MAX_TAGS} onClick={() => onChange([...tags, { name: "", value: "" }])}>
          <PlusIcon className="-ml-0.5 size-4" />
          Add tag
        </Button>
        <span className="text-[13px] text-subtle">
          {tags.length} of {MAX_TAGS}
        </span>
      </div>
    </div>
  );
}
