"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { CloseIcon, MenuIcon } from "../ui/icons";
import { NavItems, type NavAccess } from "./nav-items";

/** Below the md breakpoint the sidebar folds into a menu button in the top bar. */
export function MobileNav({ access }: { access?: NavAccess }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <div className="md:hidden">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls="mobile-nav"
        aria-label={open ? "Close menu" : "Open menu"}
        onClick={() => setOpen((v) => !v)}
        className="-ml-1.5 inline-flex size-9 items-center justify-center rounded-md text-nav-fg/80 hover:bg-white/10 hover:text-nav-fg"
      >
        {open ? <CloseIcon className="size-5" /> : <MenuIcon className="size-5" />}
      </button>
      {open ? (
        <>
          <div className="fixed inset-0 top-14 z-30 bg-black/30" aria-hidden="true" onClick={() => setOpen(false)} />
          <nav
            id="mobile-nav"
            aria-label="Main"
            className="fixed inset-x-0 top-14 z-40 border-b border-line bg-surface px-3 py-3 shadow-pop"
          >
            <NavItems onNavigate={() => setOpen(false)} access={access} />
          </nav>
        </>
      ) : null}
    </div>
  );
}
