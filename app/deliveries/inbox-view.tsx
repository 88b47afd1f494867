"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import useSWRInfinite from "swr/infinite";
import { CopyableUrl } from "@/components/copy-button";
import { DeliveryCard } from "@/components/delivery-card";
import { useToast } from "@/components/toast";
import { BUTTON, Card, EmptyState, LoadMore, PageHeader, Spinner } from "@/components/ui";
import { fetchJson, replayDelivery, type Delivery, type DeliveryPage } from "@/lib/ui/api-client";
import type { DeliveryVerdict } from "@/db/schema";

const PAGE_SIZE = 30;
const VERDICTS: [DeliveryVerdict | undefined, string][] = [
  [undefined, "All"],
  ["accepted", "Accepted"],
  ["duplicate", "Duplicate"],
  ["rejected", "Rejected"],
];

type Props = { initialVerdict?: DeliveryVerdict; taskId?: string; initialPage: DeliveryPage; callbackUrl: string };

/** The inbox's own address for a filter. */
function inboxUrl(verdict: DeliveryVerdict | undefined, taskId: string | undefined): string {
  const params = new URLSearchParams();
  if (verdict) params.set("verdict", verdict);
  if (taskId) params.set("taskId", taskId);
  return params.size ? `/deliveries?${params}` : "/deliveries";
}

export function InboxView({ initialVerdict, taskId, initialPage, callbackUrl }: Props) {
  const [verdict, setVerdict] = useState(initialVerdict);
  const notify = useToast();

  useEffect(() => {
    const target = inboxUrl(verdict, taskId);
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(null, "", target);
  }, [verdict, taskId]);

  const pages = useSWRInfinite<DeliveryPage>(
    (_index, previous: DeliveryPage | null) => {
      if (previous && !previous.nextCursor) return null;
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (verdict) params.set("verdict", verdict);
      if (taskId) params.set("taskId", taskId);
      if (previous?.nextCursor) params.set("cursor", previous.nextCursor);
      return `/api/deliveries?${params}`;
    },
    fetchJson,
    { fallbackData: verdict === initialVerdict ? [initialPage] : undefined, refreshInterval: 10_000, keepPreviousData: true },
  );
  const items = pages.data?.flatMap((p) => p.items) ?? [];
  const nextCursor = pages.data?.at(-1)?.nextCursor ?? null;
  const loadingMore = pages.isValidating && pages.size > (pages.data?.length ?? 0);

  async function replay(delivery: Delivery) {
    try {
      const result = await replayDelivery(delivery.id);
      notify(
        "success",
        `Delivery #${delivery.id} replayed: ${result.outcome.verdict}`,
        result.task ? `Task ${result.task.taskId} is ${result.task.status}.` : undefined,
      );
    } catch (error) {
      notify("error", `Delivery #${delivery.id} was not accepted`, error instanceof Error ? error.message : String(error));
    }
    await pages.mutate();
  }

  return (
    <>
      <PageHeader
        title="Inbox"
        description="Every callback received, as it arrived: raw body, headers and what the dashboard made of it."
      />
      <Card>
        <div
          className="flex flex-wrap items-center gap-1 border-b border-zinc-200 p-2 dark:border-zinc-800"
          role="group"
          aria-label="Filter by verdict"
        >
          {VERDICTS.map(([value, label]) => (
            <button
              key={label}
              type="button"
              aria-pressed={verdict === value}
              onClick={() => setVerdict(value)}
              className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-violet-500 ${
                verdict === value
                  ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
              }`}
            >
              {label}
            </button>
          ))}
          {taskId && (
            <span className="ml-auto flex items-center gap-2 px-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="task-filter">
              <span>
                Task <span className="font-mono">{taskId}</span>
              </span>
              <Link href={inboxUrl(verdict, undefined)} className="font-medium underline-offset-2 hover:underline">
                Show every task
              </Link>
            </span>
          )}
        </div>
        {items.length === 0 ? (
          pages.isLoading ? (
            <div className="flex justify-center p-10 text-zinc-500">
              <Spinner className="size-5" />
            </div>
          ) : verdict || taskId ? (
            <EmptyState title={["No", verdict, "deliveries", taskId && "for this task"].filter(Boolean).join(" ")} />
          ) : (
            <EmptyState title="No callbacks received yet">
              <p>
                Give the provider this URL as callBackUrl; every request it sends shows up here, even the ones the dashboard cannot read.
              </p>
              <CopyableUrl url={callbackUrl} />
            </EmptyState>
          )
        ) : (
          <div className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {items.map((delivery) => (
              <DeliveryCard
                key={delivery.id}
                delivery={delivery}
                // A callback refused for its signature is never applied, so it has nothing to replay.
                actions={delivery.signature === "invalid" ? undefined : <ReplayButton onReplay={() => replay(delivery)} />}
              />
            ))}
          </div>
        )}
        {nextCursor && <LoadMore loading={loadingMore} onLoad={() => pages.setSize(pages.size + 1)} />}
      </Card>
    </>
  );
}

function ReplayButton({ onReplay }: { onReplay: () => Promise<void> }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className={BUTTON.small}
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await onReplay();
        setPending(false);
      }}
    >
      {pending && <Spinner />}
      Replay
    </button>
  );
}
