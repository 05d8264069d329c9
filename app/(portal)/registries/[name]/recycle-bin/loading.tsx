import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The bin's table while its entries load. */
export default function RecycleBinLoading() {
  return (
    <Card className="overflow-hidden" role="status" aria-live="polite">
      <span className="sr-only">Loading the recycle bin…</span>
      <div className="flex items-center justify-between border-b border-line px-5 py-4">
        <Skeleton className="h-4 w-32" />
        <Skeleton className="h-9 w-56" />
      </div>
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 border-b border-line px-5 py-4 last:border-b-0">
          <Skeleton className="size-4" />
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-4 w-40" />
          <Skeleton className="hidden h-4 w-20 sm:block" />
          <Skeleton className="hidden h-4 w-24 lg:block" />
        </div>
      ))}
    </Card>
  );
}
