"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionError, ActionResult } from "@/portal/action-client";

/** Runs a server action, keeps its error for the form, and refreshes the page's data on success. */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, opts: { refresh?: boolean } = {}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<ActionError | null>(null);
  function run(input: I, onSuccess?: (data: T) => void) {
    setError(null);
    start(async () => {
      try {
        const r = await action(input);
        if (!r.ok) {
          setError(r);
          return;
        }
        onSuccess?.(r.data);
        if (opts.refresh !== false) router.refresh();
      } catch {
        setError({ ok: false, code: "INTERNAL", message: "The server could not be reached. Check your connection and try again." });
      }
    });
  }
  return { run, pending, error, setError };
}
