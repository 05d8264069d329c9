import type { ReactNode } from "react";
import { cn } from "./cn";
import { AlertIcon, InfoIcon } from "./icons";

/** An inline message. `danger` alerts are announced to screen readers as they appear. */
export function Alert({ tone = "info", title, children, className }: { tone?: "info" | "danger"; title?: ReactNode; children: ReactNode; className?: string }) {
  const danger = tone === "danger";
  return (
    <div
      role={danger ? "alert" : "status"}
      className={cn(
        "flex gap-3 rounded-md border px-3.5 py-3 text-sm",
        danger ? "border-danger/30 bg-danger-soft text-danger-soft-fg" : "border-accent/25 bg-accent-soft text-accent-soft-fg",
        className,
      )}
    >
      {danger ? <AlertIcon className="mt-0.5 size-4 shrink-0" /> : <InfoIcon className="mt-0.5 size-4 shrink-0" />}
      <div className="min-w-0">
        {title ? <p className="font-medium">{title}</p> : null}
        <div className={title ? "mt-0.5" : undefined}>{children}</div>
      </div>
    </div>
  );
}
