import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The Webhooks tab while its webhooks and delivery logs load. */
export default function WebhooksLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading webhooks…</span>
      <Card className="overflow-hidden">
        <div className="border-b border-line px-5 py-4">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="mt-2 h-3 w-96" />
        </div>
        {[0, 1].map((i) => (
          <div key={i} className="space-y-2 border-b border-line px-5 py-4">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-3 w-72" />
            <Skeleton className="h-3 w-56" />
          </div>
        ))}
      </Card>
    </div>
  );
}
