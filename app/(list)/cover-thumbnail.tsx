"use client";
import { useState } from "react";
import { KindIcon } from "@/components/kind-icon";
import type { TaskListItem } from "@/lib/ui/api-client";
import { shortId } from "@/lib/ui/format";

/**
 * A task's first picture (a cover, a track's art), small (its thumbnail, never
 * the full image), or a tile of the same size with its kind's icon so rows line up. Lazy: a page of 50 tasks
 * fetches only the thumbnails scrolled into view.
 */
export function CoverThumbnail({ task, size }: { task: TaskListItem; size: "row" | "card" }) {
  const [broken, setBroken] = useState(false);
  const box = size === "row" ? "size-10" : "size-12";
  if (!task.thumbnailUrl || broken) {
    return (
      <span
        aria-hidden
        className={`${box} grid shrink-0 place-items-center rounded-md border border-zinc-200 bg-zinc-100 text-zinc-400 dark:border-zinc-800 dark:bg-zinc-800/60 dark:text-zinc-500`}
      >
        <KindIcon kind={task.kind} className="size-4" />
      </span>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- already a small WebP made for this; next/image would resize it again
    <img
      src={task.thumbnailUrl}
      alt={`${task.kind === "music" ? "Artwork" : "Cover"} of ${shortId(task.taskId)}`}
      width={48}
      height={48}
      loading="lazy"
      decoding="async"
      onError={() => setBroken(true)}
      data-testid="cover-thumbnail"
      className={`${box} shrink-0 rounded-md border border-zinc-200 bg-zinc-100 object-cover dark:border-zinc-800 dark:bg-zinc-800`}
    />
  );
}
