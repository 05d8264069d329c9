import Link from "next/link";
import type { ReactNode } from "react";
import { version } from "@/package.json";
import { LogoMark } from "../ui/icons";
import { MobileNav } from "./mobile-nav";
import { NavItems, type NavAccess } from "./nav-items";
import { SignOutButton } from "./sign-out-button";

/** The signed-in frame: top bar, navigation (sidebar or menu), main area. */
export function AppShell({ username, access, children }: { username: string; access?: NavAccess; children: ReactNode }) {
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm font-medium text-fg shadow-pop focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 flex h-14 items-center gap-3 bg-nav px-4 text-nav-fg sm:px-5">
        <MobileNav access={access} />
        <Link href="/registries" className="flex items-center gap-2.5 rounded-md py-1 pr-1 font-semibold tracking-tight">
          <LogoMark className="size-7" />
          <span className="text-[15px]">Wharf</span>
        </Link>
        <div className="ml-auto flex items-center gap-1 sm:gap-3">
          <div className="flex items-center gap-2 text-sm" title={`Signed in as ${username}`}>
            <span
              aria-hidden="true"
              className="flex size-7 items-center justify-center rounded-full bg-white/12 text-xs font-semibold uppercase text-nav-fg"
            >
              {username.slice(0, 1)}
            </span>
            <span className="sr-only">Signed in as </span>
            <span className="sr-only max-w-[12rem] truncate text-nav-fg/90 sm:not-sr-only" data-testid="current-user">
              {username}
            </span>
          </div>
          <span aria-hidden="true" className="hidden h-5 w-px bg-white/15 sm:block" />
          <SignOutButton />
        </div>
      </header>
      <div className="flex">
        <nav
          aria-label="Main"
          className="sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 flex-col border-r border-line bg-surface px-3 py-4 md:flex"
        >
          <NavItems access={access} />
          <p className="mt-auto px-2.5 text-xs text-subtle">Wharf {version}</p>
        </nav>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-8">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
