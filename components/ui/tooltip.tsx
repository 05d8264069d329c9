import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * Explains why a control is disabled. Disabled buttons get no pointer or focus
 * events, so the wrapper is what is hovered or focused; `title` is the fallback
 * and what tests and assistive tech read, the bubble is for sighted mouse and keyboard users.
 */
export function DisabledReason({ reason, children, className }: { reason: string | null | undefined; children: ReactNode; className?: string }) {
  if (!reason) return <>{children}</>;
  return (
    <span tabIndex={0} title={reason} data-disabled-reason={reason} className={cn("group/tip relative inline-flex rounded-md", className)}>
      {children}
      <span
        role="tooltip"
        className="pointer-events-none invisible absolute right-0 bottom-full z-30 mb-2 w-64 rounded-md bg-nav px-2.5 py-1.5 text-xs font-normal leading-snug text-nav-fg opacity-0 shadow-pop transition-opacity group-hover/tip:visible group-hover/tip:opacity-100 group-focus-visible/tip:visible group-focus-visible/tip:opacity-100"
      >
        {reason}
      </span>
    </span>
  );
}
