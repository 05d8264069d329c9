"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import type { ActionError, ActionResult } from "@/portal/action-client";
import { useToast } from "./ui/toast";

export type { ActionError };

/** What a failed action throws inside the mutation, so TanStack Query sees a failure. */
class ActionFailed extends Error {
  constructor(readonly result: ActionError) {
    super(result.message);
  }
}

const UNREACHABLE: ActionError = { ok: false, code: "INTERNAL", message: "The server could not be reached. Check your connection and try again." };

export type ActionOptions<I, T> = {
  /** Success toast; omit for none (e.g. when the result itself is shown). */
  success?: ReactNode | ((data: T, input: I) => ReactNode);
  /** Runs on success before the refresh (show a secret, navigate, close a dialog). */
  onSuccess?: (data: T, input: I) => void;
  /** Runs on failure, after the error is routed (field / alert / toast). */
  onError?: (error: ActionError) => void;
  /**
   * The input fields this component shows errors next to. An error on one of them
   * goes to that field; any other error goes to a toast, or to `formError` when
   * `errors` is "inline".
   */
  fields?: readonly string[] | ((field: string) => boolean);
  /** "toast" (default), or "inline" for dialogs and forms that show `formError` in an alert. */
  errors?: "toast" | "inline";
  /** After success: re-render the page's server components (default), or invalidate these queries instead. */
  invalidate?: QueryKey[];
  /** false: neither refresh nor invalidate (the caller navigates away). */
  refresh?: boolean;
};

/**
 * The one way a client component runs a server action: pending state (held until the
 * refreshed server data has arrived), errors routed to their field or else to a toast
 * or an inline alert, a success toast, then `router.refresh()` or query invalidation.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>, options: ActionOptions<I, T> = {}) {
  const router = useRouter();
  const toast = useToast();
  const queries = useQueryClient();
  const [refreshing, startRefresh] = useTransition();
  const owns = (field: string | undefined) =>
    !!field && (typeof options.fields === "function" ? options.fields(field) : (options.fields ?? []).includes(field));

  const mutation = useMutation<T, ActionFailed, I>({
    mutationFn: async (input) => {
      let r: ActionResult<T>;
      try {
        r = await action(input);
      } catch {
        throw new ActionFailed(UNREACHABLE);
      }
      if (!r.ok) throw new ActionFailed(r);
      return r.data;
    },
    onSuccess: (data, input) => {
      const message = typeof options.success === "function" ? options.success(data, input) : options.success;
      if (message) toast.success(message);
      options.onSuccess?.(data, input);
      if (options.refresh === false) return;
      if (options.invalidate) for (const queryKey of options.invalidate) void queries.invalidateQueries({ queryKey });
      else startRefresh(() => router.refresh());
    },
    onError: (err) => {
      if (!owns(err.result.field) && options.errors !== "inline") toast.error(err.message);
      options.onError?.(err.result);
    },
  });

  const error = mutation.error?.result ?? null;
  return {
    /** Starts the action; `onSuccess` here runs after the hook's own (only while the component is mounted). */
    run: (input: I, onSuccess?: (data: T) => void) => mutation.mutate(input, onSuccess ? { onSuccess: (d) => onSuccess(d) } : undefined),
    pending: mutation.isPending || refreshing,
    /** The input of the running (or last) call: for optimistic switches and per-row spinners. */
    variables: mutation.variables,
    succeeded: mutation.isSuccess,
    error,
    /** The message for one of `fields`, if the last call failed on it. */
    fieldError: (field: string): string | undefined =>
      error && owns(field) ? (error.fieldErrors?.[field] ?? (error.field === field ? error.message : undefined)) : undefined,
    /** With `errors: "inline"`: the failure not tied to a shown field, for an alert. */
    formError: error && options.errors === "inline" && !owns(error.field) ? error.message : null,
    reset: mutation.reset,
  };
}
