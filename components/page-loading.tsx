import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The portal's page skeleton: each top-level section's loading.tsx renders it. */
export function PageLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <div className="mb-6 flex items-end justify-between gap-6">
        <div className="space-y-2">
          <Skeleton className="h-7 w-44" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
        <Skeleton className="h-9 w-36" />
      </div>
      <Card className="overflow-hidden">
        <div className="border-b border-line px-5 py-4">
          <Skeleton className="h-4 w-32" />
        </div>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-b border-line px-5 py-4 last:border-b-0">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-48" />
            <Skeleton className="hidden h-4 w-20 sm:block" />
            <Skeleton className="hidden h-4 w-24 lg:block" />
          </div>
        ))}
      </Card>
    </div>
  );
}
