"use client";

import { useCallback, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog, DialogFooter } from "./dialog";

export type ConfirmRequest = {
  title: string;
  /** The effect, in words that name who or what is affected. */
  body: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  onConfirm: () => void;
};

/**
 * A confirmation for a security-relevant change. The confirm button has focus, so
 * Enter confirms and Escape cancels; focus returns to the control that asked.
 * `ask(request)` opens it; render `dialog` once in the component.
 */
export function useConfirm(): { ask: (r: ConfirmRequest) => void; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const ask = useCallback((r: ConfirmRequest) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRequest(r);
  }, []);
  const finish = (confirmed: boolean) => {
    const r = request;
    setRequest(null);
    // After the dialog closes, so the browser's own focus restore cannot undo it.
    requestAnimationFrame(() => opener.current?.focus());
    if (confirmed) r?.onConfirm();
  };
  const dialog = (
    <Dialog open={!!request} onClose={() => finish(false)} title={request?.title ?? ""}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          finish(true);
        }}
      >
        <div className="text-sm text-fg" data-testid="confirm-effect">{request?.body}</div>
        <DialogFooter>
          <Button variant="secondary" onClick={() => finish(false)}>Cancel</Button>
          <Button type="submit" variant={request?.tone === "primary" ? "primary" : "danger"} data-autofocus="">
            {request?.confirmLabel}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
  return { ask, dialog };
}
