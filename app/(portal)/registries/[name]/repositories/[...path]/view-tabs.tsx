"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type RepositoryViewName = "tags" | "manifests";
export const VIEW_PANEL_ID = "repository-view-panel";

/**
 * Tags | Manifests on the repository page. Each tab is a link (the view is in the URL, so it survives a reload and
 * can be shared); arrow keys, Home and End move between tabs as in the ARIA tabs pattern.
 */
export function ViewTabs({ current, tabs }: { current: RepositoryViewName; tabs: { view: RepositoryViewName; label: ReactNode; href: string }[] }) {
  const router = useRouter();
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  function onKeyDown(e: KeyboardEvent<HTMLAnchorElement>, i: number) {
    const last = tabs.length - 1;
    const to = e.key === "ArrowRight" ? (i === last ? 0 : i + 1) : e.key === "ArrowLeft" ? (i === 0 ? last : i - 1) : e.key === "Home" ? 0 : e.key === "End" ? last : -1;
    if (to < 0) return;
    e.preventDefault();
    refs.current[to]?.focus();
    router.push(tabs[to].href, { scroll: false });
  }
  return (
    <div role="tablist" aria-label="Repository view" className="inline-flex rounded-md border border-line-strong bg-sunken/60 p-0.5">
      {tabs.map((t, i) => {
        const selected = t.view === current;
        return (
          <Link
            key={t.view}
            ref={(el) => {
              refs.current[i] = el;
            }}
            id={`repository-tab-${t.view}`}
            href={t.href}
            scroll={false}
            role="tab"
            aria-selected={selected}
            aria-controls={VIEW_PANEL_ID}
            tabIndex={selected ? 0 : -1}
            onKeyDown={(e) => onKeyDown(e, i)}
            className={cn(
              "inline-flex h-8 items-center gap-1.5 rounded px-3 text-[13px] font-medium transition-colors focus-visible:ring-3 focus-visible:ring-focus/25 focus-visible:outline-none",
              selected ? "bg-surface text-fg shadow-card" : "text-muted hover:text-fg",
            )}
          >
            {t.label}
          </Link>
        );
      })}
    </div>
  );
}
