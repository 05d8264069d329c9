"use client";

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { cn } from "./cn";
import { AlertIcon, CheckIcon, CloseIcon } from "./icons";

type Toast = { id: number; tone: "success" | "danger"; message: ReactNode };
type ToastApi = { success: (message: ReactNode) => void; error: (message: ReactNode) => void };

const ToastContext = createContext<ToastApi | null>(null);

/** Toasts survive client-side navigation (the provider sits in the portal layout). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback((tone: Toast["tone"], message: ReactNode) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-3), { id, tone, message }]);
  }, []);
  const [api] = useState<ToastApi>(() => ({ success: (m) => push("success", m), error: (m) => push("danger", m) }));
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div aria-live="polite" role="region" aria-label="Notifications" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[22rem] max-w-[calc(100vw-2rem)] flex-col gap-2">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={() => dismiss(t.id)} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  useEffect(() => {
    const t = setTimeout(onDismiss, toast.tone === "danger" ? 9000 : 5000);
    return () => clearTimeout(t);
  }, [toast, onDismiss]);
  const ok = toast.tone === "success";
  return (
    <div
      role={ok ? "status" : "alert"}
      data-testid="toast"
      className="pointer-events-auto flex items-start gap-3 rounded-lg border border-line bg-surface px-3.5 py-3 text-sm text-fg shadow-pop"
    >
      <span className={cn("mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full", ok ? "bg-success-soft text-success-soft-fg" : "bg-danger-soft text-danger-soft-fg")}>
        {ok ? <CheckIcon className="size-3.5" /> : <AlertIcon className="size-3.5" />}
      </span>
      <div className="min-w-0 flex-1">{toast.message}</div>
      <button type="button" onClick={onDismiss} aria-label="Dismiss notification" className="-mt-0.5 -mr-1 rounded p-1 text-subtle hover:bg-hover hover:text-fg">
        <CloseIcon className="size-3.5" />
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast needs <ToastProvider>");
  return api;
}
