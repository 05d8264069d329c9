"use client";

import { useId, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LockIcon } from "@/components/ui/icons";

/** A radio as a card with a description; a disabled one says why (e.g. which SKU it needs). */
export function ChoiceCard({
  name,
  value,
  checked,
  onSelect,
  title,
  description,
  badge,
  disabledReason,
}: {
  name: string;
  value: string;
  checked: boolean;
  onSelect: () => void;
  title: string;
  description: ReactNode;
  badge?: string;
  disabledReason?: string | null;
}) {
  const id = useId();
  const disabled = !!disabledReason;
  return (
    <label
      title={disabledReason ?? undefined}
      className={cn(
        "flex gap-3 rounded-lg border p-3.5 text-sm transition-colors has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-focus/30",
        disabled ? "cursor-not-allowed border-line bg-sunken/60" : "cursor-pointer",
        checked ? "border-accent bg-accent-soft/50 ring-1 ring-accent" : !disabled && "border-line-strong hover:bg-hover",
      )}
    >
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={onSelect}
        aria-describedby={`${id}-desc`}
        className="mt-0.5 size-4 shrink-0 accent-[var(--wh-accent)]"
      />
      <span className="min-w-0">
        <span className={cn("flex items-center gap-2 font-medium", disabled ? "text-muted" : "text-fg")}>
          {title}
          {badge ? <Badge tone="warning">{badge}</Badge> : null}
        </span>
        <span id={`${id}-desc`} className="mt-0.5 block text-[13px] text-muted">
          {description}
          {disabledReason ? (
            <span className="mt-1 flex items-center gap-1.5 text-warning-soft-fg">
              <LockIcon className="size-3.5 shrink-0" />
              {disabledReason}
            </span>
          ) : null}
        </span>
      </span>
    </label>
  );
}
