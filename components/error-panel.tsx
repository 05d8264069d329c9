import { Card } from "./ui/card";
import { EmptyState } from "./ui/empty-state";
import { AlertIcon } from "./ui/icons";
import { ERRORS, WharfError } from "@wharf/lib/core/errors";

/** What a page shows when lib/ refuses (no role) or cannot find what the URL names. Other errors go to error.tsx. */
export function ErrorPanel({ error }: { error: WharfError }) {
  const result = ERRORS[error.code].result;
  const title = result === "DENIED" ? "You don't have access here" : result === "NOT_FOUND" ? "Not found" : "This page cannot be shown";
  return (
    <Card>
      <EmptyState icon={<AlertIcon className="size-6" />} title={title}>
        <p>{error.message}</p>
      </EmptyState>
    </Card>
  );
}

/** Runs a page's data load; WharfErrors become a panel, anything else is rethrown. */
export async function loadOrPanel<T>(load: () => Promise<T>): Promise<{ data: T; panel: null } | { data: null; panel: React.ReactElement }> {
  try {
    return { data: await load(), panel: null };
  } catch (err) {
    if (err instanceof WharfError) return { data: null, panel: <ErrorPanel error={err} /> };
    throw err;
  }
}
