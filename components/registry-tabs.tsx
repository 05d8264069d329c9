"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./ui/cn";

/** The registry's sections. Overview and Settings are the overview/settings pages; the rest are the browser and access pages. */
export function RegistryTabs({ registry }: { registry: string }) {
  const pathname = usePathname();
  const base = `/registries/${registry}`;
  const tabs = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/repositories`, label: "Repositories" },
    { href: `${base}/tokens`, label: "Tokens" },
    { href: `${base}/scope-maps`, label: "Scope maps" },
    { href: `${base}/access`, label: "Access control" },
    { href: `${base}/settings`, label: "Settings" },
  ];
  return (
    <nav aria-label="Registry" className="-mx-4 mb-6 overflow-x-auto border-b border-line px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-1">
        {tabs.map((t) => {
          const active = t.exact ? pathname === t.href : pathname === t.href || pathname.startsWith(`${t.href}/`);
          return (
            <li key={t.href}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "-mb-px inline-flex h-10 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "border-accent text-fg" : "border-transparent text-muted hover:border-line-strong hover:text-fg",
                )}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
