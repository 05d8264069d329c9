import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** Registry pages load inside the registry layout (header and tabs stay put); this fills the content area. */
export default function RegistryLoading() {
  return (
    <div role="status" aria-live="polite" className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <span className="sr-only">Loading…</span>
      <div className="space-y-6">
        {[0, 1].map((i) => (
          <Card key={i} className="overflow-hidden">
            <div className="border-b border-line px-5 py-4">
              <Skeleton className="h-4 w-32" />
            </div>
            <div className="grid gap-4 px-5 py-5 sm:grid-cols-2">
              {Array.from({ length: 6 }, (_, j) => (
                <div key={j} className="space-y-1.5">
                  <Skeleton className="h-3 w-20" />
                  <Skeleton className="h-4 w-40" />
                </div>
              ))}
            </div>
          </Card>
        ))}
      </div>
      <Card className="h-40 px-5 py-4">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="mt-4 h-7 w-28" />
        <Skeleton className="mt-4 h-2.5 w-full" />
      </Card>
    </div>
  );
}
