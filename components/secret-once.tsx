"use client";

import { Alert } from "./ui/alert";
import { CommandLine } from "./ui/code";
import { CopyButton } from "./ui/copy-button";

/** A secret that is shown only now, with a copy button and what to do with it. */
export function SecretOnce({ label, value, command }: { label: string; value: string; command?: string }) {
  return (
    <div className="space-y-3">
      <Alert title="Copy it now">This {label.toLowerCase()} is shown only once. Wharf keeps only a hash of it.</Alert>
      <div>
        <p className="mb-1.5 text-sm font-medium text-fg">{label}</p>
        <div className="flex items-center gap-2 rounded-md border border-line bg-sunken py-1.5 pr-1.5 pl-3">
          <code tabIndex={0} data-testid="secret-value" className="min-w-0 flex-1 overflow-x-auto font-mono text-[13px] whitespace-nowrap text-fg">{value}</code>
          <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
        </div>
      </div>
      {command ? (
        <div>
          <p className="mb-1.5 text-sm font-medium text-fg">Log in</p>
          <CommandLine command={command} label="Copy login command" />
        </div>
      ) : null}
    </div>
  );
}
