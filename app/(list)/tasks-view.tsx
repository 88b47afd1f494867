"use client";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import useSWR from "swr";
import useSWRInfinite from "swr/infinite";
import { useNow } from "@/components/clock";
import { CopyableUrl, CopyButton } from "@/components/copy-button";
import { RelativeTime } from "@/components/relative-time";
import { SendTestCallback } from "@/components/send-test-callback";
import {
  BUTTON,
  Badge,
  Card,
  EmptyState,
  INPUT,
  KindBadge,
  LoadMore,
  PageHeader,
  ProgressBar,
  Spinner,
  StatusBadge,
} from "@/components/ui";
import { fetchJson, type TaskListItem, type TaskPage, type TaskStats } from "@/lib/ui/api-client";
import { expiryWarning, formatBytes, kindLabel, shortId } from "@/lib/ui/format";
import { KindIcon } from "@/components/kind-icon";
import { TASK_KINDS, type TaskKind, type TaskStatus } from "@/lib/core/enums";
import { kindName } from "@/lib/core/timeline";
import { CoverThumbnail } from "./cover-thumbnail";
import { ExportLinks } from "./export-links";

export type TaskFilters = { kind?: TaskKind; status?: TaskStatus; q?: string };

const PAGE_SIZE = 50;
const LIVE_MS = 2_500;
const IDLE_MS = 15_000;

function query(filters: TaskFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.status) params.set("status", filters.status);
  if (filters.q) params.set("q", filters.q);
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

const sameFilters = (a: TaskFilters, b: TaskFilters) => a.kind === b.kind && a.status === b.status && (a.q ?? "") === (b.q ?? "");
const isLive = (t: TaskListItem) => t.status === "pending" || t.assetsActive > 0;

type Props = { initialFilters: TaskFilters; initialPage: TaskPage; initialStats: TaskStats; callbackUrl: string };

export function TasksView({ initialFilters, initialPage, initialStats, callbackUrl }: Props) {
  const [kind, setKind] = useState(initialFilters.kind);
  const [status, setStatus] = useState(initialFilters.status);
  const [search, setSearch] = useState(initialFilters.q ?? "");
  const [q, setQ] = useState(initialFilters.q ?? "");

  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const filters = useMemo<TaskFilters>(() => ({ kind, status, q: q || undefined }), [kind, status, q]);
  const filtered = Boolean(kind || status || q);

  // Keep the address bar in step so a reload or a shared link shows the same view.
  useEffect(() => {
    const qs = query(filters);
    const target = qs ? `/?${qs}` : "/";
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(null, "", target);
  }, [filters]);

  // Fast refresh while work is under way, a slow one otherwise so new tasks still show up.
  const { data: stats, mutate: refreshStats } = useSWR<TaskStats>("/api/stats", fetchJson, {
    fallbackData: initialStats,
    refreshInterval: (latest) => ((latest?.byStatus.pending ?? 0) > 0 ? LIVE_MS : IDLE_MS),
  });
  const pages = useSWRInfinite<TaskPage>(
    (index, previous: TaskPage | null) => {
      if (previous && !previous.nextCursor) return null;
      const qs = query(filters, previous?.nextCursor);
      return `/api/tasks?${qs ? `${qs}&` : ""}limit=${PAGE_SIZE}`;
    },
    fetchJson,
    {
      fallbackData: sameFilters(filters, initialFilters) ? [initialPage] : undefined,
      refreshInterval: (latest) => (latest?.some((p) => p.items.some(isLive)) ? LIVE_MS : IDLE_MS),
      revalidateAll: true,
      keepPreviousData: true,
      // The cards refresh with the list: files the list shows stored (a test
      // callback's covers) are counted in "Storage used" at the same moment.
      onSuccess: () => void refreshStats(),
    },
  );

  const items = useMemo(() => pages.data?.flatMap((p) => p.items) ?? [], [pages.data]);
  const nextCursor = pages.data?.at(-1)?.nextCursor ?? null;
  const loadingMore = pages.isValidating && pages.size > (pages.data?.length ?? 0);

  const live = items.some(isLive) || (stats?.byStatus.pending ?? 0) > 0;
  const s = stats ?? initialStats;
  const noTasksAtAll = s.total === 0 && !filtered;

  return (
    <>
      <PageHeader
        title="Tasks"
        description="Every task the provider called back or the dashboard follows: music, lyrics, covers, WAVs, stems, MIDI, videos. Newest first."
        actions={live ? <LiveIndicator /> : undefined}
      />

      <StatsBar stats={s} status={status} onStatus={(next) => setStatus(next === status ? undefined : next)} />

      {noTasksAtAll ? (
        <Card className="mt-6">
          <EmptyState title="No tasks yet" icon={<InboxIcon />}>
            <p>
              Paste this URL as the <code className="font-mono text-zinc-700 dark:text-zinc-300">callBackUrl</code> of your Suno requests
              (music, lyrics, covers, WAVs, stems, MIDI, videos). Results show up here as soon as the provider calls back.
            </p>
            <CopyableUrl url={callbackUrl} />
            <div className="mt-5 flex flex-wrap items-center justify-center gap-2">
              <SendTestCallback onSent={() => Promise.all([refreshStats(), pages.mutate()])} />
              <Link href="/setup" className={BUTTON.secondary}>
                Open setup
              </Link>
            </div>
          </EmptyState>
        </Card>
      ) : (
        <Card className="mt-6">
          <div className="flex flex-col gap-3 border-b border-zinc-200 p-3 sm:flex-row sm:items-center sm:p-4 dark:border-zinc-800">
            <label className="relative flex-1">
              <span className="sr-only">Search by task id</span>
              <svg
                aria-hidden
                viewBox="0 0 16 16"
                className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.5"
              >
                <circle cx="7" cy="7" r="4.5" />
                <path d="M10.5 10.5L14 14" />
              </svg>
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search task id or parent task id"
                className={`${INPUT} pl-9`}
              />
            </label>
            <div className="flex flex-wrap gap-2">
              <Select
                label="Kind"
                value={kind ?? ""}
                onChange={(v) => setKind((v || undefined) as TaskKind | undefined)}
                options={[["", "All kinds"], ...TASK_KINDS.map((k): [string, string] => [k, kindLabel(k)])]}
              />
              <Select
                label="Status"
                value={status ?? ""}
                onChange={(v) => setStatus((v || undefined) as TaskStatus | undefined)}
                options={[
                  ["", "All statuses"],
                  ["pending", "Pending"],
                  ["succeeded", "Succeeded"],
                  ["failed", "Failed"],
                ]}
              />
              <ExportLinks filters={filters} />
            </div>
          </div>

          <KindChips stats={s} kind={kind} onKind={setKind} />

          {pages.error && !pages.data ? (
            <EmptyState title="Could not load tasks">{pages.error instanceof Error ? pages.error.message : null}</EmptyState>
          ) : items.length === 0 ? (
            pages.isLoading ? (
              <div className="flex justify-center p-10 text-zinc-500">
                <Spinner className="size-5" />
              </div>
            ) : (
              <EmptyState title="No tasks match these filters">
                <button
                  type="button"
                  className={`${BUTTON.secondary} mt-2`}
                  onClick={() => {
                    setKind(undefined);
                    setStatus(undefined);
                    setSearch("");
                    setQ("");
                  }}
                >
                  Clear filters
                </button>
              </EmptyState>
            )
          ) : (
            <TaskTable items={items} />
          )}

          {nextCursor && <LoadMore loading={loadingMore} onLoad={() => pages.setSize(pages.size + 1)} />}
        </Card>
      )}
    </>
  );
}

function StatsBar({ stats, status, onStatus }: { stats: TaskStats; status?: TaskStatus; onStatus: (s: TaskStatus) => void }) {
  const tile = "rounded-xl border border-zinc-200 bg-white p-3 text-left shadow-xs sm:p-4 dark:border-zinc-800 dark:bg-zinc-900/60";
  const statuses: [TaskStatus, string, string][] = [
    ["succeeded", "Succeeded", "text-emerald-600 dark:text-emerald-400"],
    ["pending", "Pending", "text-amber-600 dark:text-amber-400"],
    ["failed", "Failed", "text-red-600 dark:text-red-400"],
  ];
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="stats">
      <div className={tile}>
        <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Tasks</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums">{stats.total.toLocaleString("en")}</p>
        <KindSummary byKind={stats.byKind} />
      </div>
      {statuses.map(([key, label, color]) => (
        <button
          key={key}
          type="button"
          aria-pressed={status === key}
          onClick={() => onStatus(key)}
          className={`${tile} transition-colors hover:border-zinc-300 focus-visible:outline-2 focus-visible:outline-violet-500 dark:hover:border-zinc-700 ${status === key ? "ring-2 ring-violet-500/60" : ""}`}
        >
          <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
          <p className={`mt-1 text-2xl font-semibold tabular-nums ${stats.byStatus[key] > 0 ? color : ""}`}>
            {stats.byStatus[key].toLocaleString("en")}
          </p>
          <KindSummary byKind={Object.fromEntries(TASK_KINDS.map((k) => [k, stats.counts[k][key]])) as Record<TaskKind, number>} />
        </button>
      ))}
      <div className={`${tile} col-span-2 sm:col-span-1`}>
        <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Storage used</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums">{formatBytes(stats.storedBytes)}</p>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          {stats.storedFiles.toLocaleString("en")} file{stats.storedFiles === 1 ? "" : "s"} stored
        </p>
      </div>
    </div>
  );
}

/** "3 music · 2 cover · +4": the two largest kinds, and how many more kinds there are; whole in `title`. */
function KindSummary({ byKind }: { byKind: Record<TaskKind, number> }) {
  const present = TASK_KINDS.filter((k) => byKind[k] > 0).sort((a, b) => byKind[b] - byKind[a]);
  const named = present.map((k) => `${byKind[k].toLocaleString("en")} ${kindName(k)}`);
  return (
    <p className="mt-0.5 truncate text-xs text-zinc-500 dark:text-zinc-400" title={named.join(" · ") || undefined}>
      {present.length === 0 ? "none yet" : [...named.slice(0, 2), ...(present.length > 2 ? [`+${present.length - 2}`] : [])].join(" · ")}
    </p>
  );
}

/** One toggle per kind present (with its count), and All: the kind filter at a glance. */
function KindChips({ stats, kind, onKind }: { stats: TaskStats; kind?: TaskKind; onKind: (kind: TaskKind | undefined) => void }) {
  const kinds = TASK_KINDS.filter((k) => stats.byKind[k] > 0 || k === kind);
  const chip = (pressed: boolean) =>
    `inline-flex h-7 shrink-0 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-violet-500 ${
      pressed
        ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
        : "border-zinc-200 bg-white text-zinc-700 hover:border-zinc-300 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:border-zinc-700 dark:hover:bg-zinc-800"
    }`;
  const count = (n: number, pressed: boolean) => (
    <span className={`tabular-nums ${pressed ? "opacity-70" : "text-zinc-400 dark:text-zinc-500"}`}>{n.toLocaleString("en")}</span>
  );
  return (
    <div
      role="group"
      aria-label="Filter by kind"
      className="flex flex-wrap gap-1.5 border-b border-zinc-200 px-3 py-2.5 sm:px-4 dark:border-zinc-800"
      data-testid="kind-chips"
    >
      <button type="button" aria-pressed={!kind} onClick={() => onKind(undefined)} className={chip(!kind)}>
        All {count(stats.total, !kind)}
      </button>
      {kinds.map((k) => (
        <button
          key={k}
          type="button"
          aria-pressed={kind === k}
          onClick={() => onKind(kind === k ? undefined : k)}
          className={chip(kind === k)}
          data-kind={k}
        >
          <KindIcon kind={k} className="size-3.5" />
          {kindLabel(k)} {count(stats.byKind[k], kind === k)}
        </button>
      ))}
    </div>
  );
}

function Select({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  return (
    <label className="min-w-36 flex-1 sm:flex-none">
      <span className="sr-only">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} className={`${INPUT} pr-8 sm:w-40`}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Files({ task }: { task: TaskListItem }) {
  if (task.assetsTotal === 0) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const downloading = task.assetsActive > 0;
  return (
    <div className="min-w-24">
      <div className="flex items-center gap-1.5 text-xs tabular-nums">
        <span>
          {task.assetsStored}/{task.assetsTotal} stored
          {task.assetsStored === task.assetsTotal && task.bytes > 0 && (
            <span className="text-zinc-500 dark:text-zinc-400"> · {formatBytes(task.bytes)}</span>
          )}
        </span>
        {task.assetsFailed > 0 && <span className="text-red-600 dark:text-red-400">· {task.assetsFailed} failed</span>}
      </div>
      {downloading && (
        <div className="mt-1.5">
          <ProgressBar
            label={`Downloading files of ${task.taskId}`}
            value={task.bytes > 0 ? task.bytesReceived : task.assetsStored}
            max={task.bytes > 0 ? task.bytes : task.assetsTotal}
          />
        </div>
      )}
    </div>
  );
}

function Expiry({ task }: { task: TaskListItem }) {
  const now = useNow();
  const warning = expiryWarning(task.filesExpireAt, task.assetsTotal > 0 && task.assetsStored === task.assetsTotal, now);
  if (!warning) return null;
  return <Badge tone={warning.level === "past" ? "red" : "amber"}>{warning.label}</Badge>;
}

function Provider({ task }: { task: TaskListItem }) {
  if (task.code === null && !task.message) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  return (
    <div className="flex min-w-0 items-baseline gap-1.5 text-xs">
      {task.code !== null && <span className="font-mono text-zinc-500 tabular-nums dark:text-zinc-400">{task.code}</span>}
      {task.message && (
        <span className="line-clamp-2 break-words text-zinc-700 dark:text-zinc-300" title={task.message}>
          {task.message}
        </span>
      )}
    </div>
  );
}

function TaskLink({ task }: { task: TaskListItem }) {
  return (
    <span className="inline-flex items-center gap-0.5">
      <Link
        href={`/tasks/${encodeURIComponent(task.taskId)}`}
        title={task.taskId}
        className="rounded font-mono text-sm font-medium text-zinc-900 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-violet-500 dark:text-zinc-100"
      >
        {shortId(task.taskId)}
      </Link>
      <CopyButton text={task.taskId} label={`Copy task id ${task.taskId}`} />
    </span>
  );
}

function TaskTable({ items }: { items: TaskListItem[] }) {
  const th = "px-4 py-2.5 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400";
  return (
    <>
      <table className="hidden w-full md:table" data-testid="task-table">
        <thead className="border-b border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900/40">
          <tr>
            {["Task", "Status", "Provider", "Files", "Created", "Updated"].map((name) => (
              <th key={name} scope="col" className={th}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {items.map((task) => (
            <tr key={task.taskId} className="align-top hover:bg-zinc-50/70 dark:hover:bg-zinc-800/30">
              <td className="px-4 py-3">
                <div className="flex items-center gap-2">
                  <CoverThumbnail task={task} size="row" />
                  <KindBadge kind={task.kind} />
                  <TaskLink task={task} />
                </div>
              </td>
              <td className="px-4 py-3">
                <div className="flex flex-col items-start gap-1">
                  <StatusBadge status={task.status} />
                  <Expiry task={task} />
                </div>
              </td>
              <td className="max-w-64 px-4 py-3">
                <Provider task={task} />
              </td>
              <td className="px-4 py-3">
                <Files task={task} />
              </td>
              <td className="px-4 py-3 text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                <RelativeTime iso={task.createdAt} />
              </td>
              <td className="px-4 py-3 text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                <RelativeTime iso={task.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <ul className="divide-y divide-zinc-100 md:hidden dark:divide-zinc-800/70" data-testid="task-cards">
        {items.map((task) => (
          <li key={task.taskId} className="space-y-2 px-3 py-3">
            <div className="flex items-center justify-between gap-2">
              <div className="flex min-w-0 items-center gap-2">
                <CoverThumbnail task={task} size="card" />
                <KindBadge kind={task.kind} />
                <TaskLink task={task} />
              </div>
              <StatusBadge status={task.status} />
            </div>
            <Provider task={task} />
            <div className="flex flex-wrap items-center justify-between gap-2">
              {task.assetsTotal > 0 ? <Files task={task} /> : <span />}
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                <RelativeTime iso={task.updatedAt} />
              </span>
            </div>
            <Expiry task={task} />
          </li>
        ))}
      </ul>
    </>
  );
}

function LiveIndicator() {
  return (
    <span className="inline-flex items-center gap-2 rounded-full border border-zinc-200 bg-white px-2.5 py-1 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
      <span className="relative flex size-2">
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" />
        <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
      </span>
      Live
    </span>
  );
}

function InboxIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-10" fill="none" stroke="currentColor" strokeWidth="1.3">
      <path d="M3 13h5l1.5 2.5h5L16 13h5" />
      <path d="M5.5 5h13L21 13v5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18v-5z" />
    </svg>
  );
}
