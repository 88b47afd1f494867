import { Card, Skeleton } from "@/components/ui";

/** The task page's shape while its data loads: header, facts, the kind's own card, timeline and deliveries. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="space-y-6">
      <Skeleton className="h-4 w-48" />
      <div className="space-y-3">
        <div className="flex gap-2">
          <Skeleton className="h-5 w-16" />
          <Skeleton className="h-5 w-20" />
        </div>
        <Skeleton className="h-7 w-96 max-w-full" />
      </div>
      <Card>
        <div className="grid grid-cols-2 gap-4 p-5 lg:grid-cols-4">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="space-y-1.5">
              <Skeleton className="h-3 w-16" />
              <Skeleton className="h-4 w-24" />
            </div>
          ))}
        </div>
      </Card>
      <Card>
        <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <Skeleton className="h-4 w-24" />
        </div>
        <div className="flex gap-4 p-5">
          <Skeleton className="size-20 shrink-0 sm:size-28" />
          <div className="flex-1 space-y-3">
            <Skeleton className="h-5 w-56 max-w-full" />
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-10 w-full" />
          </div>
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-5">
        <Skeleton className="h-48 lg:col-span-2" />
        <Skeleton className="h-48 lg:col-span-3" />
      </div>
    </div>
  );
}
