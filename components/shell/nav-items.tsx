"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cn } from "../ui/cn";
import { RegistryIcon } from "../ui/icons";

type NavItem = { href: string; label: string; icon: ComponentType<SVGProps<SVGSVGElement>>; needs?: "read" | "owner" };

/** What the signed-in user may open at organisation scope; sections they cannot use are not listed. */
export type NavAccess = { read: boolean; owner: boolean };

function stroke(d: string) {
  return function StrokeIcon(props: SVGProps<SVGSVGElement>) {
    return (
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
        <path d={d} />
      </svg>
    );
  };
}
const ShieldIcon = stroke("M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3z M9 12l2 2 4-4");
const UsersIcon = stroke("M16 20v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 4 18.5V20 M10 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M20 20v-1.5a3.5 3.5 0 0 0-2.5-3.35 M15.5 4.15a3.5 3.5 0 0 1 0 6.7");
const KeyIcon = stroke("M15 7a4 4 0 1 1-3.46 6H10v2H8v2H5v-3l5.54-5.54A4 4 0 0 1 15 7z M16 10h.01");
const PulseIcon = stroke("M3 12h4l3-8 4 16 3-8h4");
const RobotIcon = stroke("M5 9h14v10H5z M12 5v4 M9 13h.01 M15 13h.01 M9.5 16.5h5 M12 3.5a1.5 1.5 0 1 0 0 .01");

/** Only sections that exist are listed; new ones are added here as their pages land. */
const NAV_ITEMS: NavItem[] = [
  { href: "/registries", label: "Registries", icon: RegistryIcon },
  { href: "/access", label: "Access control", icon: ShieldIcon, needs: "read" },
  { href: "/activity", label: "Activity", icon: PulseIcon, needs: "read" },
  { href: "/my-access", label: "My access", icon: KeyIcon },
  { href: "/users", label: "Users", icon: UsersIcon, needs: "owner" },
  { href: "/groups", label: "Groups", icon: UsersIcon, needs: "owner" },
  { href: "/service-principals", label: "Service principals", icon: RobotIcon, needs: "owner" },
];

export function NavItems({ onNavigate, access = { read: false, owner: false } }: { onNavigate?: () => void; access?: NavAccess }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {NAV_ITEMS.filter((i) => !i.needs || access[i.needs]).map(({ href, label, icon: Icon }) => {
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
