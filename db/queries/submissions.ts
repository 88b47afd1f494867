// Tasks the dashboard submitted to the provider or was asked to track.
import "server-only";
import type { TaskKind } from "@/lib/core/enums";
import { applyToTask } from "@/db/queries/results";
import type { Submission } from "@/lib/core/timeline";

export type SubmissionInput = {
  taskId: string;
  kind: TaskKind;
  parentTaskId: string | null;
  audioId: string | null;
  submission: Submission;
  now: Date;
  /** How long after submission the first poll comes if no callback does. */
  pollAfterMs: number;
  /** Held by the caller, who polls right away: no worker takes the task's poll before then. */
  pollLeaseUntil: Date | null;
};

export type RecordedSubmission = { ok: true; created: boolean } | { ok: false; error: string };

/**
 * Creates the task as pending (source "submit") with its first poll scheduled,
 * or joins the task already known, filling in what it lacked; either way one
 * `submitted` event. A known task of the other kind is left alone (not ok).
 */
export async function recordSubmission(input: SubmissionInput): Promise<RecordedSubmission> {
  const { taskId, kind, now } = input;
  const { decision } = await applyToTask(
    taskId,
    { via: "submit", taskId, kind, submission: input.submission, pollAfterMs: input.pollAfterMs },
    now,
    {
      known: { parentTaskId: input.parentTaskId, audioId: input.audioId },
      ...(input.pollLeaseUntil ? { lease: input.pollLeaseUntil } : {}),
    },
  );
  return decision.verdict === "rejected" ? { ok: false, error: decision.error } : { ok: true, created: decision.create !== null };
}
