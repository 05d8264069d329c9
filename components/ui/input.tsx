import type { ComponentProps } from "react";
import { cn } from "./cn";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return (
    <input
      className={cn(
        "block h-10 w-full rounded-md border border-line-strong bg-surface px-3 text-sm text-fg shadow-card",
        "placeholder:text-subtle transition-colors",
        "focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus/40",
        "aria-invalid:border-danger disabled:cursor-not-allowed disabled:bg-sunken disabled:text-muted",
        className,
      )}
      {...props}
    />
  );
}
