import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A native select styled like Input (keyboard and screen readers work as the platform intends). */
export function Select({ className, ...props }: ComponentProps<"select">) {
  return (
    <select
      className={cn(
        "block h-10 w-full appearance-none rounded-md border border-line-strong bg-surface bg-[length:16px] bg-[right_0.6rem_center] bg-no-repeat pr-9 pl-3 text-sm text-fg shadow-card",
        "bg-[url('data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 24 24%22 fill=%22none%22 stroke=%22%238491a3%22 stroke-width=%222%22><path d=%22m6 9 6 6 6-6%22/></svg>')]",
        "focus:border-accent focus:ring-3 focus:ring-focus/25 focus-visible:outline-none aria-invalid:border-danger disabled:cursor-not-allowed disabled:bg-sunken disabled:text-muted",
        className,
      )}
      {...props}
    />
  );
}
