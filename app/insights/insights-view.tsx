"use client";
import { useEffect, useMemo, useState } from "react";
import useSWR from "swr";
import { BarList, ColumnChart, SplitBar } from "@/components/charts";
import { Card, CardHeader, PageHeader, Spinner } from "@/components/ui";
import type { Insights } from "@/db/queries/insights";
import { fetchJson } from "@/lib/ui/api-client";
import { formatBytes } from "@/lib/ui/format";
import { deliveryBinHours, deliveryBins, formatSeconds, storedBins } from "@/lib/ui/insights";

const RANGES = [
  { days: 1, label: "24 h" },
  { days: 7, label: "7 d" },
  { days: 30, label: "30 d" },
  { days: 90, label: "90 d" },
] as const;

const DAY_MS = 86_400_000;
const REFRESH_MS = 60_000;
const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

export function InsightsView({ initial }: { initial: Insights }) {
  const [days, setDays] = useState(initial.days);
  const { data, isValidating } = useSWR<Insights>(`/api/insights?days=${days}`, fetchJson, {
    fallbackData: days === initial.days ? initial : undefined,
    keepPreviousData: true,
    refreshInterval: REFRESH_MS,
  });
  const insights = data ?? initial;

  useEffect(() => {
    const target = days === 7 ? "/insights" : `/insights?days=${days}`;
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(null, "", target);
  }, [days]);

  return (
    <>
      <PageHeader
        title="Insights"
        description="How fast results come back, who brought them, what failed, and what was stored."
        actions={
          <>
            {isValidating && <Spinner className="size-4 text-zinc-400" />}
            <RangePicker days={days} onChange={setDays} />
          </>
        }
      />
      <Figures insights={insights} />
    </>
  );
}

function RangePicker({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  return (
    <div
      role="group"
      aria-label="Range"
      className="inline-flex rounded-lg border border-zinc-300 bg-white p-0.5 dark:border-zinc-700 dark:bg-zinc-900"
    >
      {RANGES.map((r) => (
        <button
          key={r.days}
          type="button"
          aria-pressed={days === r.days}
          onClick={() => onChange(r.days)}
          className={`h-8 rounded-md px-3 text-sm font-medium tabular-nums transition-colors focus-visible:outline-2 focus-visible:outline-violet-500 ${
            days === r.days
              ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
              : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"
          }`}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}

function Figures({ insights }: { insights: Insights }) {
  const { turnaround, sources, failures, days, since } = insights;
  // "Now" is the window's end as the server saw it: server and browser draw the same bins.
  const nowMs = Date.parse(since) + days * DAY_MS;
  const deliveries = useMemo(() => deliveryBins(insights.deliveriesPerHour, since, days, nowMs), [insights, since, days, nowMs]);
  const stored = useMemo(() => storedBins(insights.storedBytesPerDay, since, nowMs), [insights, since, nowMs]);
  const received = deliveries.reduce((sum, b) => sum + b.value, 0);
  const storedBytes = stored.reduce((sum, b) => sum + b.value, 0);
  const failed = failures.reduce((sum, f) => sum + f.count, 0);
  const completed = sources.callback + sources.poll;
  const binHours = deliveryBinHours(days);
  const per = binHours === 1 ? "hour" : binHours === 24 ? "day" : `${binHours} hours`;
  const busiest = deliveries.reduce((best, b) => (b.value > (best?.value ?? 0) ? b : best), deliveries[0]);
  const maxSeconds = Math.max(0, ...Object.values(turnaround).map((t) => t.p95Seconds ?? 0));
  const kinds = [
    ["cover", "Cover"],
    ["wav", "WAV"],
  ] as const;

  const turnaroundLabel = kinds
    .map(([k, name]) =>
      turnaround[k].count === 0
        ? `${name}: no tasks succeeded`
        : `${name}: median ${formatSeconds(turnaround[k].p50Seconds)}, 95th percentile ${formatSeconds(turnaround[k].p95Seconds)}, over ${plural(turnaround[k].count, "task")}`,
    )
    .join("; ");

  return (
    <div className="space-y-6" data-testid="insights" data-days={days}>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Callbacks received" value={received.toLocaleString("en")} testId="stat-received" />
        <Stat label="Tasks completed" value={completed.toLocaleString("en")} testId="stat-completed" />
        <Stat label="Tasks failed" value={failed.toLocaleString("en")} testId="stat-failed" />
        <Stat label="Stored" value={formatBytes(storedBytes)} testId="stat-stored" />
      </dl>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Turnaround" description="From submission (or first sight) to the result, succeeded tasks." />
          <div className="space-y-5 p-4 sm:p-5">
            {kinds.map(([k, name]) => (
              <div key={k}>
                <p className="mb-2 text-sm">
                  <span className="font-medium">{name}</span>{" "}
                  <span className="text-zinc-500 dark:text-zinc-400">· {plural(turnaround[k].count, "task")}</span>
                </p>
                <BarList
                  testId={`turnaround-${k}`}
                  label={turnaroundLabel}
                  max={maxSeconds}
                  rows={[
                    {
                      key: "p50",
                      label: "median (p50)",
                      value: turnaround[k].p50Seconds ?? 0,
                      display: formatSeconds(turnaround[k].p50Seconds),
                    },
                    {
                      key: "p95",
                      label: "p95",
                      value: turnaround[k].p95Seconds ?? 0,
                      display: formatSeconds(turnaround[k].p95Seconds),
                      tone: "fill-violet-300 dark:fill-violet-600",
                    },
                  ]}
                />
              </div>
            ))}
          </div>
        </Card>

        <Card>
          <CardHeader title="Who brought the result" description="Completed tasks: by their callback, or rescued by polling." />
          <div className="p-4 sm:p-5">
            <SplitBar
              testId="sources"
              label={
                completed === 0
                  ? "No tasks completed in this range"
                  : `${plural(sources.callback, "task")} completed by callback, ${plural(sources.poll, "task")} rescued by polling`
              }
              parts={[
                {
                  key: "callback",
                  label: "Callback",
                  value: sources.callback,
                  tone: "fill-emerald-500 dark:fill-emerald-400",
                  swatch: "bg-emerald-500 dark:bg-emerald-400",
                },
                {
                  key: "poll",
                  label: "Polling",
                  value: sources.poll,
                  tone: "fill-amber-500 dark:fill-amber-400",
                  swatch: "bg-amber-500 dark:bg-amber-400",
                },
              ]}
            />
          </div>
        </Card>
      </div>

      <Card>
        <CardHeader title="Callbacks received" description={`Per ${per}, UTC, every delivery (rejected ones too).`} />
        <div className="p-4 sm:p-5">
          <ColumnChart
            testId="deliveries-chart"
            bins={deliveries}
            format={(v) => plural(v, "callback")}
            label={
              received === 0
                ? "No callbacks received in this range"
                : `${plural(received, "callback")} received; the busiest ${per}, ${busiest?.label}, had ${busiest?.value.toLocaleString("en")}`
            }
          />
        </div>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Failures by code" description="The provider's code on failed tasks." />
          <div className="p-4 sm:p-5">
            {failures.length === 0 ? (
              <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="failures-empty">
                No failed tasks in this range.
              </p>
            ) : (
              <BarList
                testId="failures"
                label={failures.map((f) => `code ${f.code ?? "none"}: ${plural(f.count, "task")}`).join(", ")}
                rows={failures.slice(0, 8).map((f) => ({
                  key: String(f.code ?? "none"),
                  label: f.code === null ? "no code" : `code ${f.code}`,
                  value: f.count,
                  display: f.count.toLocaleString("en"),
                  tone: "fill-red-500 dark:fill-red-400",
                }))}
              />
            )}
          </div>
        </Card>

        <Card>
          <CardHeader title="Stored per day" description="Bytes of result files stored, UTC days." />
          <div className="p-4 sm:p-5">
            <ColumnChart
              testId="stored-chart"
              bins={stored}
              format={formatBytes}
              tone="fill-sky-500 dark:fill-sky-400"
              label={
                storedBytes === 0
                  ? "No files stored in this range"
                  : `${formatBytes(storedBytes)} stored over ${plural(stored.length, "day")}`
              }
            />
          </div>
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-3 shadow-xs sm:p-4 dark:border-zinc-800 dark:bg-zinc-900/60">
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
