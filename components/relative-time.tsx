"use client";
import { useEffect, useState } from "react";
import { formatAbsolute, formatRelative } from "@/lib/ui/format";

/** "5 minutes ago", kept fresh; the absolute UTC time is in the title and datetime. */
export function RelativeTime({ iso, className = "" }: { iso: string | null; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={formatAbsolute(iso)} className={className} suppressHydrationWarning>
      {formatRelative(iso, now)}
    </time>
  );
}
