"use client";
import { useEffect, useState } from "react";
import useSWRInfinite from "swr/infinite";
import { CopyableUrl } from "@/components/copy-button";
import { DeliveryCard } from "@/components/delivery-card";
import { useToast } from "@/components/toast";
import { BUTTON, Card, EmptyState, INPUT, LoadMore, PageHeader, Spinner } from "@/components/ui";
import { fetchJson, replayDelivery, type Delivery, type DeliveryPage } from "@/lib/ui/api-client";
import type { DeliveryVerdict } from "@/lib/core/enums";
import { BulkReplay } from "./bulk-replay";

const PAGE_SIZE = 30;
const VERDICTS: [DeliveryVerdict | undefined, string][] = [
  [undefined, "All"],
  ["accepted", "Accepted"],
  ["duplicate", "Duplicate"],
  ["rejected", "Rejected"],
];

/** Typing settles this long before the search runs. */
const SEARCH_DELAY_MS = 250;

type Filters = { verdict?: DeliveryVerdict; q?: string; taskId?: string };
type Props = { initial: Filters; initialPage: DeliveryPage; callbackUrl: string };

/** The filters as query parameters (the page's and the API's alike); empty ones left out. */
function filterParams({ verdict, q, taskId }: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (verdict) params.set("verdict", verdict);
  if (q?.trim()) params.set("q", q.trim());
  if (taskId?.trim()) params.set("taskId", taskId.trim());
  return params;
}

/** `value`, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function InboxView({ initial, initialPage, callbackUrl }: Props) {
  const [verdict, setVerdict] = useState(initial.verdict);
  const [query, setQuery] = useState(initial.q ?? "");
  const [taskFilter, setTaskFilter] = useState(initial.taskId ?? "");
  const q = useSettled(query, SEARCH_DELAY_MS);
  const taskId = useSettled(taskFilter, SEARCH_DELAY_MS);
  const filters = filterParams({ verdict, q, taskId });
  const initialFilters = filterParams(initial).toString();
  const notify = useToast();

  useEffect(() => {
    const search = filterParams({ verdict, q, taskId }).toString();
    const target = search ? `/deliveries?${search}` : "/deliveries";
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(null, "", target);
  }, [verdict, q, taskId]);

  const pages = useSWRInfinite<DeliveryPage>(
    (_index, previous: DeliveryPage | null) => {
      if (previous && !previous.nextCursor) return null;
      const params = new URLSearchParams(filters);
      params.set("limit", String(PAGE_SIZE));
      if (previous?.nextCursor) params.set("cursor", previous.nextCursor);
      return `/api/deliveries?${params}`;
    },
    fetchJson,
    { fallbackData: filters.toString() === initialFilters ? [initialPage] : undefined, refreshInterval: 10_000, keepPreviousData: true },
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
      <BulkReplay onDone={() => pages.mutate()} />
      <Card>
        <div className="grid gap-2 border-b border-zinc-200 p-2 sm:grid-cols-3 dark:border-zinc-800" role="search">
          <label className="sm:col-span-2">
            <span className="sr-only">Search the raw bodies</span>
            <input
              type="search"
              className={INPUT}
              placeholder="Search bodies (any part of a task id, URL, message…)"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              maxLength={200}
            />
          </label>
          <label>
            <span className="sr-only">Task id</span>
            <input
              type="search"
              className={`${INPUT} font-mono`}
              placeholder="Task id"
              value={taskFilter}
              onChange={(e) => setTaskFilter(e.target.value)}
              maxLength={128}
            />
          </label>
        </div>
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
        </div>
        {items.length === 0 ? (
          pages.isLoading ? (
            <div className="flex justify-center p-10 text-zinc-500">
              <Spinner className="size-5" />
            </div>
          ) : q.trim() || taskId.trim() ? (
            <EmptyState title="No deliveries match" />
          ) : verdict ? (
            <EmptyState title={`No ${verdict} deliveries`} />
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
