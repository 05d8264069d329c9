import { CopyButton } from "./copy-button";

/** A one-line shell command with a copy button. */
export function CommandLine({ command, label = "Copy command" }: { command: string; label?: string }) {
  return (
    <div className="flex w-full min-w-0 items-center gap-2 rounded-md border border-line bg-sunken py-1.5 pr-1.5 pl-3 font-mono text-[13px] text-fg">
      <span aria-hidden="true" className="select-none text-subtle">$</span>
      <code tabIndex={0} className="min-w-0 flex-1 overflow-x-auto whitespace-nowrap rounded-sm py-1 focus-visible:outline-2 focus-visible:outline-focus">{command}</code>
      <CopyButton text={command} label={label} />
    </div>
  );
}

/** Inline code. */
export function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-sunken px-1.5 py-0.5 font-mono text-[0.85em] text-fg">{children}</code>;
}
