import type { ComponentProps } from "react";
import { cn } from "./cn";

const CHEVRON =
  "url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%238491a3' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'><path d='m6 9 6 6 6-6'/></svg>\")";

/** A native select styled like Input (keyboard and screen readers work as the platform intends). */
export function Select({ className, style, ...props }: ComponentProps<"select">) {
  return (
    <select
      style={{ backgroundImage: CHEVRON, backgroundSize: "16px", backgroundPosition: "right 0.65rem center", backgroundRepeat: "no-repeat", ...style }}
      className={cn(
        "block h-10 w-full appearance-none rounded-md border border-line-strong bg-surface pr-9 pl-3 text-sm text-fg shadow-card",
        "focus:border-accent focus:ring-3 focus:ring-focus/25 focus-visible:outline-none aria-invalid:border-danger disabled:cursor-not-allowed disabled:bg-sunken disabled:text-muted",
        className,
      )}
      {...props}
    />
  );
}
