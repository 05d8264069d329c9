"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

/** The registry's sections; pages for repositories, tokens and access add themselves here as they land. */
const SECTIONS = [
  { href: "", label: "Overview" },
  { href: "/repositories", label: "Repositories" },
  { href: "/cache", label: "Cache" },
  { href: "/webhooks", label: "Webhooks" },
  { href: "/tokens", label: "Tokens" },
  { href: "/scope-maps", label: "Scope maps" },
  { href: "/access", label: "Access control" },
  { href: "/access-review", label: "Access review" },
  { href: "/recycle-bin", label: "Recycle bin" },
  { href: "/activity", label: "Activity" },
  { href: "/settings", label: "Settings" },
];

export function RegistryTabs({ name }: { name: string }) {
  const pathname = usePathname();
  const base = `/registries/${name}`;
  return (
    <nav aria-label={`Registry ${name}`} className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
      {SECTIONS.map((s) => {
        const href = base + s.href;
        const active = s.href ? pathname === href || pathname.startsWith(`${href}/`) : pathname === base;
        return (
          <Link
            key={s.label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px flex h-10 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors",
              active ? "border-accent text-fg" : "border-transparent text-muted hover:text-fg",
            )}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}
