"use client";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import useSWR from "swr";
import { useNow } from "@/components/clock";
import { CopyButton } from "@/components/copy-button";
import { DeliveryCard } from "@/components/delivery-card";
import { RelativeTime } from "@/components/relative-time";
import { useToast } from "@/components/toast";
import { BUTTON, Badge, Card, CardHeader, EmptyState, KindBadge, Spinner, StatusBadge } from "@/components/ui";
import { downloadAsset, downloadTask, fetchJson, pollTask, taskDetailUrl, type TaskDetail } from "@/lib/ui/api-client";
import { expiryWarning, formatAbsolute } from "@/lib/ui/format";
import { eventStyle, type EventTone } from "@/lib/core/timeline";
import { AudioPlayers } from "./audio-player";
import { DeleteTask } from "./delete-task";
import { Family, TaskChip } from "./family";
import { Gallery } from "./gallery";
import { Lyrics } from "./lyrics";
import { MidiNotes } from "./midi";
import { RawBody } from "./raw-body";
import { Stems } from "./stems";
import { Tracks } from "./tracks";
import { VideoPlayer } from "./video";

const LIVE_MS = 2_000;

const TONE_COLOR: Record<EventTone, string> = {
  failure: "bg-red-500",
  stored: "bg-emerald-500",
  download: "bg-sky-500",
  poll: "bg-amber-500",
  other: "bg-violet-500",
};

const STAGE_NAMES = { text: "Lyrics written", first: "First track ready", complete: "All tracks ready" } as const;

const isLive = (d: TaskDetail) => d.task.status === "pending" || d.assets.some((a) => a.status === "pending" || a.status === "downloading");

export function TaskView({ initial }: { initial: TaskDetail }) {
  const url = taskDetailUrl(initial.task.taskId);
  // Whether the page refreshes, from what it shows (the server's detail until the first fetch):
  // SWR hands a refreshInterval function only its cache, empty until then, so a
  // function would leave a pending task's page still until something re-rendered it.
  const [live, setLive] = useState(() => isLive(initial));
  const { data, mutate } = useSWR<TaskDetail>(url, fetchJson, { fallbackData: initial, refreshInterval: live ? LIVE_MS : 0 });
  const detail = data ?? initial;
  if (isLive(detail) !== live) setLive(isLive(detail));
  const { task, assets } = detail;
  const notify = useToast();
  const [busy, setBusy] = useState<"poll" | "download" | null>(null);
  const now = useNow();

  async function run(action: "poll" | "download") {
    setBusy(action);
    const before = detail;
    try {
      const after = action === "poll" ? await pollTask(task.taskId) : await downloadTask(task.taskId);
      await mutate(after, { revalidate: false });
      if (action === "poll") {
        const changed = before.task.status !== after.task.status;
        notify(
          "success",
          changed ? `Polled: ${before.task.status} → ${after.task.status}` : `Polled: still ${after.task.status}`,
          after.task.message ?? undefined,
        );
      } else {
        notify("success", "Re-download started", `${after.assets.length} file${after.assets.length === 1 ? "" : "s"} queued for download.`);
      }
    } catch (error) {
      notify("error", action === "poll" ? "Poll failed" : "Re-download failed", error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  }

  async function redownload(assetId: number, label: string) {
    try {
      const after = await downloadAsset(assetId);
      notify("success", `${label}: re-download started`);
      // The route answers the task's detail; anything else just means "read it again".
      if (after && typeof after === "object" && "task" in after) await mutate(after, { revalidate: false });
      else await mutate();
    } catch (error) {
      notify("error", `${label}: re-download failed`, error instanceof Error ? error.message : String(error));
    }
  }

  const allStored = assets.length > 0 && assets.every((a) => a.status === "stored");
  const expiry = expiryWarning(task.filesExpireAt, allStored, now);
  const images = assets.filter((a) => a.role === "cover");
  const audio = assets.filter((a) => a.role === "wav");
  const trackTitles = new Map(detail.tracks.flatMap((t) => (t.title ? [[t.trackId, t.title] as const] : [])));

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="flex min-w-0 text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/" className="shrink-0 hover:text-zinc-900 dark:hover:text-zinc-100">
          Tasks
        </Link>
        <span aria-hidden className="mx-2">
          /
        </span>
        <span className="min-w-0 truncate font-mono">{task.taskId}</span>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <KindBadge kind={task.kind} />
            <StatusBadge status={task.status} />
            {expiry && <Badge tone={expiry.level === "past" ? "red" : "amber"}>{expiry.label}</Badge>}
            {live && <Spinner className="size-3.5 text-zinc-400" />}
          </div>
          {/* The button flows after the id's last character (beside it as a flex item, a wrapped id left its last characters alone on a line); a 32-character id fits a phone's line. */}
          <h1 className="mt-2 font-mono text-base font-semibold break-all sm:text-xl">
            {task.taskId}
            <CopyButton text={task.taskId} label="Copy task id" className="ml-1 align-middle" />
          </h1>
          {detail.parent && (
            <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400" data-testid="parent-line">
              Made from <TaskChip task={detail.parent} />
            </p>
          )}
          {(task.code !== null || task.message) && (
            <p className="mt-1 text-sm break-words text-zinc-600 dark:text-zinc-400" data-testid="task-message">
              {task.code !== null && <span className="mr-2 font-mono text-zinc-500">{task.code}</span>}
              {task.message}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            className={BUTTON.secondary}
            disabled={busy !== null || task.kind === "other"}
            title={task.kind === "other" ? "The provider has nothing to ask about a task of no known kind." : undefined}
            onClick={() => run("poll")}
          >
            {busy === "poll" && <Spinner />}
            Poll now
          </button>
          <button
            type="button"
            className={BUTTON.secondary}
            disabled={busy !== null || assets.length === 0}
            onClick={() => run("download")}
          >
            {busy === "download" && <Spinner />}
            Re-download all
          </button>
          <a href={`${url}/archive`} download className={BUTTON.secondary} title="The stored files, metadata.json and SHA256SUMS">
            Download archive
          </a>
          <DeleteTask taskId={task.taskId} files={assets.filter((a) => a.fileUrl).length} />
        </div>
      </div>

      <Card>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 p-4 text-sm sm:p-5 lg:grid-cols-4">
          <Meta label="Created">
            <RelativeTime iso={task.createdAt} />
          </Meta>
          <Meta label="Updated">
            <RelativeTime iso={task.updatedAt} />
          </Meta>
          <Meta label="Completed">
            <RelativeTime iso={task.completedAt} />
          </Meta>
          <Meta label="Provider deletes files">
            {task.filesExpireAt ? (
              <span title={formatAbsolute(task.filesExpireAt)}>
                <RelativeTime iso={task.filesExpireAt} />
              </span>
            ) : (
              "—"
            )}
          </Meta>
          <Meta label="Last source">{task.lastSource ?? "—"}</Meta>
          <Meta label="Deliveries">{task.deliveryCount}</Meta>
          <Meta label="Polls">
            {task.pollCount}
            {task.lastPolledAt && (
              <span className="text-zinc-500">
                {" "}
                · last <RelativeTime iso={task.lastPolledAt} />
              </span>
            )}
          </Meta>
          {task.stage && <Meta label="Stage">{STAGE_NAMES[task.stage]}</Meta>}
          {task.parentTaskId && (
            <Meta label={task.kind === "cover" || task.kind === "wav" ? "Music task" : "Parent task"}>
              <IdValue value={task.parentTaskId} />
            </Meta>
          )}
          {task.audioId && (
            <Meta label="Audio id">
              <IdValue value={task.audioId} />
            </Meta>
          )}
        </dl>
      </Card>

      {(task.kind === "cover" || images.length > 0) && (
        <Card>
          <CardHeader
            id="covers"
            title="Covers"
            description={images.length ? `${images.length} image${images.length === 1 ? "" : "s"}` : undefined}
          />
          {images.length ? (
            <Gallery assets={images} expired={expiry?.level === "past"} onRedownload={redownload} />
          ) : (
            <NoFiles status={task.status} />
          )}
        </Card>
      )}

      {(task.kind === "wav" || audio.length > 0) && (
        <Card>
          <CardHeader id="audio" title="Audio" />
          {audio.length ? <AudioPlayers assets={audio} onRedownload={redownload} /> : <NoFiles status={task.status} />}
        </Card>
      )}

      {task.kind === "music" && (
        <Tracks task={task} tracks={detail.tracks} assets={assets} madeFromTracks={detail.children} onRedownload={redownload} />
      )}
      {task.kind === "lyrics" && <Lyrics variants={detail.lyrics} status={task.status} />}
      {task.kind === "separation" && <Stems assets={assets} status={task.status} onRedownload={redownload} />}
      {task.kind === "midi" && <MidiNotes taskId={task.taskId} midi={detail.midi} status={task.status} />}
      {task.kind === "video" && <VideoPlayer assets={assets} status={task.status} onRedownload={redownload} />}
      {task.kind === "other" && <RawBody delivery={detail.deliveries[0] ?? null} />}

      <Family detail={detail} trackTitles={trackTitles} />

      <div className="grid items-start gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-2">
          <CardHeader title="Timeline" />
          {detail.events.length ? (
            <ol className="space-y-0 px-4 py-4 sm:px-5" data-testid="timeline">
              {detail.events.map((event, i) => (
                <li key={event.id} className="relative flex gap-3 pb-4 last:pb-0">
                  {i < detail.events.length - 1 && (
                    <span aria-hidden className="absolute top-3 left-[5px] h-full w-px bg-zinc-200 dark:bg-zinc-800" />
                  )}
                  <span
                    aria-hidden
                    className={`relative mt-1.5 size-[11px] shrink-0 rounded-full border-2 border-white dark:border-zinc-900 ${TONE_COLOR[eventStyle(event.type).tone]}`}
                  />
                  <div className="min-w-0">
                    <p className="text-sm">
                      <span className="font-medium">{eventStyle(event.type).label}</span>{" "}
                      <span className="text-xs text-zinc-500 dark:text-zinc-400">
                        <RelativeTime iso={event.at} />
                      </span>
                    </p>
                    {event.detail && <p className="text-sm break-words text-zinc-600 dark:text-zinc-400">{event.detail}</p>}
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <EmptyState title="No events yet" />
          )}
        </Card>

        <Card className="min-w-0 lg:col-span-3">
          <CardHeader
            title="Deliveries"
            description={
              task.deliveryCount > detail.deliveries.length
                ? `The newest ${detail.deliveries.length} of ${task.deliveryCount} callbacks received for this task.`
                : "Every callback received for this task, duplicates included."
            }
          />
          {detail.deliveries.length ? (
            <div className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
              {detail.deliveries.map((delivery, i) => (
                <DeliveryCard key={delivery.id} delivery={delivery} showTask={false} open={i === 0} />
              ))}
              {task.deliveryCount > detail.deliveries.length && (
                <p className="px-4 py-3 text-sm sm:px-5">
                  <Link
                    href={`/deliveries?taskId=${encodeURIComponent(task.taskId)}`}
                    className="font-medium text-violet-700 underline-offset-2 hover:underline dark:text-violet-300"
                  >
                    All {task.deliveryCount} deliveries of this task in the inbox
                  </Link>
                </p>
              )}
            </div>
          ) : (
            <EmptyState title="No callbacks received">
              This task is known from polling or a submission; no callback has arrived for it.
            </EmptyState>
          )}
        </Card>
      </div>
    </div>
  );
}

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}

function IdValue({ value }: { value: string }) {
  return (
    <span className="inline-flex max-w-full items-center gap-0.5">
      <span className="truncate font-mono text-xs" title={value}>
        {value}
      </span>
      <CopyButton text={value} label={`Copy ${value}`} />
    </span>
  );
}

function NoFiles({ status }: { status: string }) {
  const text =
    status === "pending"
      ? "Waiting for the provider: files appear here when the callback arrives or a poll finds the result."
      : status === "failed"
        ? "The task failed, so there are no files."
        : "No files were recorded for this task.";
  return <EmptyState title="No files">{text}</EmptyState>;
}
