"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cn } from "../ui/cn";
import { RegistryIcon } from "../ui/icons";

type NavItem = { href: string; label: string; icon: ComponentType<SVGProps<SVGSVGElement>> };

/** Only sections that exist are listed; new ones are added here as their pages land. */
const NAV_ITEMS: NavItem[] = [{ href: "/registries", label: "Registries", icon: RegistryIcon }];

export function NavItems({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "group flex h-9 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium transition-colors",
                active ? "bg-accent-soft text-accent-soft-fg" : "text-muted hover:bg-hover hover:text-fg",
              )}
            >
              <Icon className={cn("size-[18px] shrink-0", active ? "text-accent" : "text-subtle group-hover:text-muted")} />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
