"use client";

import { cn } from "./cn";
import { useHydrated } from "./use-hydrated";

/** An on/off switch (role="switch"); the label is given by the caller through aria-labelledby or aria-label. */
export function Switch({
  checked,
  onChange,
  disabled,
  pending,
  id,
  className,
  ...aria
}: {
  checked: boolean;
  onChange: (next: boolean) => void;
  disabled?: boolean;
  /** The change is being saved: shown in its new position, disabled and busy until it lands. */
  pending?: boolean;
  id?: string;
  className?: string;
  "aria-label"?: string;
  "aria-labelledby"?: string;
  "aria-describedby"?: string;
}) {
  // Inert until hydrated: a click on the server's HTML would be lost without a word.
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      role="switch"
      id={id}
      aria-checked={checked}
      aria-busy={pending || undefined}
      disabled={disabled || pending || !hydrated}
      onClick={() => onChange(!checked)}
      className={cn(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors",
        checked ? "bg-accent" : "bg-line-strong",
        "disabled:cursor-not-allowed disabled:opacity-50",
        pending && "animate-pulse",
        className,
      )}
      {...aria}
    >
      <span
        aria-hidden="true"
        className={cn("inline-block size-5 rounded-full bg-white shadow-card transition-transform", checked ? "translate-x-5" : "translate-x-0")}
      />
    </button>
  );
}
