"use client";
// What a task was made from and what was made from it, linked both ways: a
// music task's WAV, cover, separation and video; a separation's MIDI.
import Link from "next/link";
import { CopyButton } from "@/components/copy-button";
import { KindIcon } from "@/components/kind-icon";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardHeader, KIND_TONES, StatusBadge } from "@/components/ui";
import type { Task, TaskDetail } from "@/lib/ui/api-client";
import { trackAnchor } from "@/lib/ui/assets";
import { kindLabel, shortId } from "@/lib/ui/format";

const ICON_COLORS: Record<string, string> = {
  violet: "text-violet-600 dark:text-violet-400",
  blue: "text-sky-600 dark:text-sky-400",
  fuchsia: "text-fuchsia-600 dark:text-fuchsia-400",
  teal: "text-teal-600 dark:text-teal-400",
  indigo: "text-indigo-600 dark:text-indigo-400",
  orange: "text-orange-600 dark:text-orange-400",
  pink: "text-pink-600 dark:text-pink-400",
  gray: "text-zinc-500 dark:text-zinc-400",
};

export const kindIconColor = (kind: Task["kind"]) => ICON_COLORS[KIND_TONES[kind]] ?? ICON_COLORS.gray;

/** A related task as a compact link: its kind, id and state. */
export function TaskChip({ task, note }: { task: Task; note?: string }) {
  return (
    <Link
      href={`/tasks/${encodeURIComponent(task.taskId)}`}
      title={task.taskId}
      data-testid="related-task"
      className="group inline-flex max-w-full min-w-0 flex-wrap items-center gap-x-2 gap-y-1 rounded-lg border border-zinc-200 bg-white px-2.5 py-1.5 text-sm transition-colors hover:border-zinc-300 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700 dark:hover:bg-zinc-800/60"
    >
      <KindIcon kind={task.kind} className={`size-4 ${kindIconColor(task.kind)}`} />
      <span className="font-medium">{kindLabel(task.kind)}</span>
      {/* Shortened already: never cut again. Where the chip is narrow, what follows wraps to a second line. */}
      <span className="shrink-0 font-mono text-xs text-zinc-500 group-hover:underline dark:text-zinc-400">{shortId(task.taskId)}</span>
      {note && <span className="min-w-0 truncate text-xs text-zinc-500 dark:text-zinc-400">{note}</span>}
      <StatusBadge status={task.status} />
    </Link>
  );
}

/** What to call the task a kind is made from when it is not one this dashboard has seen. */
function unknownParentLabel(kind: Task["kind"]): string {
  if (kind === "midi") return "Separation task";
  if (kind === "cover" || kind === "wav" || kind === "separation" || kind === "video") return "Music task";
  return "Task";
}

/** Nothing when the task has no known relatives. */
export function Family({ detail, trackTitles }: { detail: TaskDetail; trackTitles: Map<string, string> }) {
  const { task, parent, children } = detail;
  const hasParent = parent !== null || task.parentTaskId !== null || task.audioId !== null;
  if (!hasParent && children.length === 0) return null;
  return (
    <Card>
      <CardHeader id="family" title="Related tasks" description="What this task was made from, and what was made from it." />
      <div className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
        <section aria-labelledby="made-from" data-testid="made-from" className="min-w-0">
          <h3 id="made-from" className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Made from
          </h3>
          <div className="mt-2 space-y-2">
            {parent ? (
              <TaskChip task={parent} />
            ) : task.parentTaskId ? (
              <UnseenTask label={unknownParentLabel(task.kind)} id={task.parentTaskId} />
            ) : !task.audioId ? (
              <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing this dashboard knows of.</p>
            ) : null}
            {task.audioId &&
              (parent?.kind === "music" ? (
                <TrackLink musicTaskId={parent.taskId} audioId={task.audioId} />
              ) : (
                <UnseenTask label="Track (audio id)" id={task.audioId} seen={parent !== null} />
              ))}
          </div>
        </section>
        <section aria-labelledby="made-from-this" data-testid="made-from-this" className="min-w-0">
          <h3 id="made-from-this" className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Made from this
          </h3>
          {children.length ? (
            <ul className="mt-2 flex flex-col items-start gap-2">
              {children.map((child) => (
                <li key={child.taskId} className="flex max-w-full min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                  <TaskChip task={child} note={child.audioId ? trackTitles.get(child.audioId) : undefined} />
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">
                    <RelativeTime iso={child.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">No task made from this one yet.</p>
          )}
        </section>
      </div>
    </Card>
  );
}

/** An id named by this task whose own task this dashboard has not seen: shown, not linked. */
function UnseenTask({ label, id, seen = false }: { label: string; id: string; seen?: boolean }) {
  return (
    <p className="flex max-w-full flex-wrap items-center gap-x-2 text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">{label}</span>
      <span className="inline-flex min-w-0 items-center gap-0.5">
        <span className="truncate font-mono text-xs" title={id}>
          {id}
        </span>
        <CopyButton text={id} label={`Copy ${id}`} />
      </span>
      {!seen && <span className="text-xs text-zinc-400 dark:text-zinc-500">not seen by this dashboard</span>}
    </p>
  );
}

/** The track of the music task this one was made from, linked to where the music task's page shows it. */
function TrackLink({ musicTaskId, audioId }: { musicTaskId: string; audioId: string }) {
  return (
    <p className="flex max-w-full flex-wrap items-center gap-x-2 text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">Track</span>
      <span className="inline-flex min-w-0 items-center gap-0.5">
        <Link
          href={`/tasks/${encodeURIComponent(musicTaskId)}#${trackAnchor(audioId)}`}
          title={`Track ${audioId} of ${musicTaskId}`}
          className="truncate font-mono text-xs text-violet-700 underline-offset-2 hover:underline dark:text-violet-300"
          data-testid="track-link"
        >
          {audioId}
        </Link>
        <CopyButton text={audioId} label={`Copy ${audioId}`} />
      </span>
    </p>
  );
}
