"use client";
// A lyrics task's variants, as text to read and copy.
import { CopyButton } from "@/components/copy-button";
import { KindIcon } from "@/components/kind-icon";
import { Card, CardHeader, EmptyState, StatusBadge } from "@/components/ui";
import type { TaskDetail } from "@/lib/ui/api-client";

type Variant = TaskDetail["lyrics"][number];

export function Lyrics({ variants, status }: { variants: Variant[]; status: string }) {
  return (
    <Card>
      <CardHeader
        id="lyrics"
        title="Lyrics"
        description={variants.length ? `${variants.length} variant${variants.length === 1 ? "" : "s"}` : undefined}
      />
      {variants.length === 0 ? (
        <EmptyState title="No lyrics yet" icon={<KindIcon kind="lyrics" className="size-8" />}>
          {status === "failed"
            ? "The task failed, so there are no lyrics."
            : status === "pending"
              ? "Waiting for the provider: the lyrics appear here when they are written."
              : "The provider sent no lyrics for this task."}
        </EmptyState>
      ) : (
        <ol className="grid gap-4 p-4 sm:p-5 lg:grid-cols-2">
          {variants.map((variant, i) => {
            const title = variant.title?.trim() || `Variant ${i + 1}`;
            return (
              <li
                key={i}
                className="flex min-w-0 flex-col overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800"
                data-testid="lyrics-variant"
                aria-label={title}
              >
                <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
                  <div className="flex min-w-0 items-center gap-2">
                    <span className="text-xs text-zinc-400 tabular-nums dark:text-zinc-500">{i + 1}.</span>
                    <h3 className="truncate text-sm font-semibold">{title}</h3>
                    {variant.status && variant.status !== "complete" && <StatusBadge status={variant.status} />}
                  </div>
                  {variant.text && <CopyButton text={variant.text} label={`Copy the lyrics of ${title}`} showLabel />}
                </div>
                {variant.errorMessage && (
                  <p className="border-b border-zinc-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-zinc-800 dark:bg-red-500/10 dark:text-red-300">
                    {variant.errorMessage}
                  </p>
                )}
                {variant.text ? (
                  <pre
                    className="max-h-[32rem] flex-1 overflow-auto bg-white p-4 font-sans text-sm leading-relaxed break-words whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
                    data-testid="lyrics-text"
                  >
                    {variant.text}
                  </pre>
                ) : (
                  <p className="p-4 text-sm text-zinc-500 dark:text-zinc-400">No text in this variant.</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
