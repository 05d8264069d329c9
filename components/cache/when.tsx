import { formatDateTime, relativeTime } from "../ui/format";

/** A past moment relative to now, the exact time on hover; "never" when there is none. */
export function When({ iso, never = "never" }: { iso: string | null; never?: string }) {
  if (!iso) return <>{never}</>;
  // Relative to the browser's clock, which may differ from the server's by a second: not worth a hydration warning.
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {relativeTime(iso)}
    </time>
  );
}
