import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The Cache tab while its rules and credential sets load: two cards, as the tab lays them out. */
export default function CacheLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading cache rules and credential sets…</span>
      {[0, 1].map((i) => (
        <Card key={i} className="overflow-hidden">
          <div className="border-b border-line px-5 py-4">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="mt-2 h-3 w-80" />
          </div>
          <div className="grid gap-4 px-5 py-5 sm:grid-cols-5">
            {Array.from({ length: 5 }, (_, j) => (
              <div key={j} className="space-y-1.5">
                <Skeleton className="h-3 w-16" />
                <Skeleton className="h-4 w-10" />
              </div>
            ))}
          </div>
        </Card>
      ))}
    </div>
  );
}
