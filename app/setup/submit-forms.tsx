"use client";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { useToast } from "@/components/toast";
import { BUTTON, Card, CardHeader, INPUT, Spinner } from "@/components/ui";
import { TASK_KINDS, type TaskKind } from "@/lib/core/enums";
import { createTaskBody, type CreateTaskBody } from "@/lib/provider/requests";
import { submitTask } from "@/lib/ui/api-client";
import { kindLabel } from "@/lib/ui/format";

type Action = CreateTaskBody["action"];

const TABS: { action: Action; label: string; description: string }[] = [
  { action: "cover", label: "Cover", description: "Generate cover images for a finished music task." },
  { action: "wav", label: "WAV", description: "Convert a track of a music task to WAV." },
  {
    action: "track",
    label: "Track existing",
    description: "Follow a task you already started elsewhere: the dashboard polls it and stores its files.",
  },
];

const FIELDS: Record<Action, { name: string; label: string; placeholder: string }[]> = {
  cover: [{ name: "musicTaskId", label: "Music task id", placeholder: "e.g. 21aee3c3c2a01fa5e030b3799fa4dd56" }],
  wav: [
    { name: "musicTaskId", label: "Music task id", placeholder: "the taskId of the music generation" },
    { name: "audioId", label: "Audio id", placeholder: "the id of one track of that task" },
  ],
  track: [
    { name: "taskId", label: "Task id", placeholder: "the id of the task to follow" },
    { name: "parentTaskId", label: "Made from task (optional)", placeholder: "the music or separation task it was made from" },
    { name: "audioId", label: "Made from track (optional)", placeholder: "the audio id of the track it was made from" },
  ],
};

/** Every kind the provider can be asked about (a task of no known kind has no record-info). */
const TRACKABLE = TASK_KINDS.filter((k) => k !== "other");

export function SubmitForms({ keySet }: { keySet: boolean }) {
  const [action, setAction] = useState<Action>("cover");
  const tab = TABS.find((t) => t.action === action)!;
  return (
    <Card>
      <CardHeader
        title="Start or track a task"
        description={
          keySet
            ? "Sent to the provider with this dashboard's callback URL."
            : "Needs SUNO_API_KEY: without it the server refuses and says so."
        }
      />
      <div className="p-4 sm:p-5">
        <div
          role="tablist"
          aria-label="Task to start"
          className="inline-flex rounded-lg border border-zinc-200 bg-zinc-50 p-0.5 dark:border-zinc-800 dark:bg-zinc-950"
        >
          {TABS.map((t) => (
            <button
              key={t.action}
              type="button"
              role="tab"
              id={`tab-${t.action}`}
              aria-selected={t.action === action}
              aria-controls={`panel-${t.action}`}
              onClick={() => setAction(t.action)}
              className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-violet-500 ${
                t.action === action
                  ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-800 dark:text-white"
                  : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"
              }`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${action}`} aria-labelledby={`tab-${action}`} className="mt-4">
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{tab.description}</p>
          <SubmitForm key={action} action={action} />
        </div>
      </div>
    </Card>
  );
}

function SubmitForm({ action }: { action: Action }) {
  const id = useId();
  const notify = useToast();
  const [kind, setKind] = useState<TaskKind>("cover");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [apiError, setApiError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setApiError(null);
    setCreated(null);
    // Empty fields count as missing, so the message says "is required".
    const values = Object.fromEntries([...new FormData(event.currentTarget)].filter(([, v]) => v !== ""));
    const parsed = createTaskBody.safeParse({ ...values, action, ...(action === "track" ? { kind } : {}) });
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(
          parsed.error.issues.map((issue) => [
            String(issue.path[0] ?? "form"),
            issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
          ]),
        ),
      );
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const detail = await submitTask(parsed.data);
      setCreated(detail.task.taskId);
      notify(
        "success",
        action === "track" ? "Tracking the task" : "Submitted to the provider",
        `Task ${detail.task.taskId} is ${detail.task.status}.`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      setApiError(message);
      notify("error", "The server refused", message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        {action === "track" && (
          <label className="block">
            <span className="mb-1 block text-sm font-medium">Kind</span>
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as TaskKind)} className={INPUT}>
              {TRACKABLE.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </label>
        )}
        {FIELDS[action].map((field) => {
          const error = errors[field.name];
          return (
            <label key={field.name} className="block">
              <span className="mb-1 block text-sm font-medium">{field.label}</span>
              <input
                name={field.name}
                placeholder={field.placeholder}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-${field.name}-error` : undefined}
                className={`${INPUT} font-mono ${error ? "border-red-500 dark:border-red-500" : ""}`}
              />
              {error && (
                <span id={`${id}-${field.name}-error`} className="mt-1 block text-xs text-red-700 dark:text-red-400">
                  {field.label} {error}
                </span>
              )}
            </label>
          );
        })}
      </div>
      {apiError && (
        <p
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm break-words text-red-800 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
          data-testid="submit-error"
        >
          {apiError}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={BUTTON.primary} disabled={pending}>
          {pending && <Spinner />}
          {action === "track" ? "Track task" : action === "cover" ? "Generate cover" : "Convert to WAV"}
        </button>
        {created && (
          <Link
            href={`/tasks/${encodeURIComponent(created)}`}
            className="text-sm font-medium text-violet-700 underline-offset-2 hover:underline dark:text-violet-300"
          >
            Open task {created} →
          </Link>
        )}
      </div>
    </form>
  );
}
