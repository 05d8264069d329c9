import type { LockFlags } from "@wharf/lib/services/locks";

const NAMES: [keyof LockFlags, string][] = [
  ["writeEnabled", "write"],
  ["deleteEnabled", "delete"],
  ["readEnabled", "read"],
  ["listEnabled", "list"],
];

/** A small padlock with what is locked, or nothing when nothing is. */
export function LockIndicator({ locks }: { locks: LockFlags }) {
  const locked = NAMES.filter(([k]) => !locks[k]).map(([, n]) => n);
  if (!locked.length) return null;
  const text = `Locked: ${locked.join(", ")}`;
  return (
    <span title={text} className="inline-flex items-center gap-1 rounded-full bg-warning-soft px-1.5 py-0.5 text-[11px] font-medium text-warning-soft-fg ring-1 ring-warning-soft-fg/20 ring-inset">
      <svg viewBox="0 0 24 24" className="size-3" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden="true">
        <rect x="5" y="11" width="14" height="10" rx="2" />
        <path d="M8 11V7a4 4 0 0 1 8 0v4" />
      </svg>
      <span className="sr-only">{text}</span>
      <span aria-hidden="true">{locked.join(" · ")}</span>
    </span>
  );
}
