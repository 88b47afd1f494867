"use client";
import { useNow } from "@/components/clock";
import { formatAbsolute, formatRelative } from "@/lib/ui/format";

/** "5 minutes ago", kept fresh; the absolute UTC time is in the title and datetime. */
export function RelativeTime({ iso, className = "" }: { iso: string | null; className?: string }) {
  const now = useNow();
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={formatAbsolute(iso)} className={className}>
      {formatRelative(iso, now)}
    </time>
  );
}
