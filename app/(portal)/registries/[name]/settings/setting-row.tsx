import type { ReactNode } from "react";

/** A titled setting with its description on the left and its control on the right; ids wire up the labels. */
export function SettingRow({ id, title, description, control }: { id: string; title: string; description: ReactNode; control: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-6">
      <div className="min-w-0">
        <p id={`${id}-label`} className="text-sm font-medium text-fg">
          {title}
        </p>
        <div id={`${id}-desc`} className="mt-0.5 text-[13px] text-muted">
          {description}
        </div>
      </div>
      <div className="shrink-0 pt-0.5">{control}</div>
    </div>
  );
}
