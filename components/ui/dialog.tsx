"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { CloseIcon } from "./icons";

/** A modal on the native <dialog> (focus trap, Escape and backdrop handled by the browser). */
export function Dialog({ open, onClose, title, description, children, wide }: { open: boolean; onClose: () => void; title: string; description?: ReactNode; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // showModal focuses the first focusable element, the Close button; React's autoFocus ran while the dialog was
      // still closed (nothing in it could take focus). Put focus on the first field, as the form meant.
      d.querySelector<HTMLElement>("[autofocus], [data-autofocus], input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])")?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      aria-labelledby="dialog-title"
      className={`m-auto w-[calc(100%-2rem)] text-left font-normal whitespace-normal normal-case tracking-normal ${wide ? "max-w-2xl" : "max-w-lg"} rounded-lg border border-line bg-surface p-0 text-fg shadow-pop backdrop:bg-black/40`}
    >
      {open ? (
        <div>
          <div className="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
            <div className="min-w-0">
              <h2 id="dialog-title" className="text-base font-semibold text-fg">{title}</h2>
              {description ? <div className="mt-0.5 text-sm text-muted">{description}</div> : null}
            </div>
            <button type="button" onClick={onClose} aria-label="Close" className="-mr-1 inline-flex size-8 items-center justify-center rounded text-muted hover:bg-hover hover:text-fg">
              <CloseIcon className="size-4" />
            </button>
          </div>
          <div className="px-5 py-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="-mx-5 -mb-4 mt-5 flex justify-end gap-2 border-t border-line bg-sunken/50 px-5 py-3">{children}</div>;
}
