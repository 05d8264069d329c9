import type { ComponentProps } from "react";
import { cn } from "./cn";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return (
    <input
      className={cn(
        "block h-10 w-full rounded-md border border-line-strong bg-surface px-3 text-sm text-fg shadow-card",
        "placeholder:text-subtle transition-colors",
        "focus:border-accent focus:ring-3 focus:ring-focus/25 focus-visible:outline-none",
        "aria-invalid:border-danger aria-invalid:focus:ring-danger/20 disabled:cursor-not-allowed disabled:bg-sunken disabled:text-muted",
        className,
      )}
      {...props}
    />
  );
}
