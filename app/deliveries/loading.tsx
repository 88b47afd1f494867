import { HeaderSkeleton, ListSkeleton } from "@/components/skeletons";

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <HeaderSkeleton />
      <ListSkeleton rows={5} />
    </div>
  );
}
