// Tasks the dashboard submitted to the provider or was asked to track.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, planWrite, step } from "@/db/client";
import { events, tasks, type TaskKind } from "@/db/schema";

export type SubmissionInput = {
  taskId: string;
  kind: TaskKind;
  parentTaskId: string | null;
  audioId: string | null;
  now: Date;
  /** When to poll first if no callback comes. */
  nextPollAt: Date;
  /** Held by the caller, who polls right away: no worker takes the task's poll before then. */
  pollLeaseUntil: Date | null;
  /** One line for the timeline. */
  detail: string;
};

export type RecordedSubmission = { created: true } | { created: false; kind: TaskKind };

/**
 * Creates the task as pending (source "submit") with its first poll scheduled,
 * or joins the task already known, filling in what it lacked; either way one
 * `submitted` event. A known task of the other kind is left alone.
 */
export async function recordSubmission(input: SubmissionInput): Promise<RecordedSubmission> {
  const { taskId, kind, now } = input;
  const db = getDb();
  return planWrite(
    () => db.select({ kind: tasks.kind }).from(tasks).where(eq(tasks.taskId, taskId)).get(),
    (existing) => {
      const answer = (): RecordedSubmission => (existing ? { created: false, kind: existing.kind } : { created: true });
      if (existing && existing.kind !== kind) return { steps: [], answer };
      const write = existing
        ? db
            .update(tasks)
            .set({
              parentTaskId: sql`coalesce(${tasks.parentTaskId}, ${input.parentTaskId})`,
              audioId: sql`coalesce(${tasks.audioId}, ${input.audioId})`,
              // A pending task whose polling stopped is polled again.
              nextPollAt: sql`case when ${tasks.status} = 'pending' then coalesce(${tasks.nextPollAt}, ${input.nextPollAt.getTime()}) else ${tasks.nextPollAt} end`,
              ...(input.pollLeaseUntil ? { pollLeaseUntil: input.pollLeaseUntil } : {}),
              updatedAt: now,
            })
            .where(eq(tasks.taskId, taskId))
        : db.insert(tasks).values({
            taskId,
            kind,
            status: "pending",
            parentTaskId: input.parentTaskId,
            audioId: input.audioId,
            createdAt: now,
            updatedAt: now,
            lastSource: "submit",
            nextPollAt: input.nextPollAt,
            pollLeaseUntil: input.pollLeaseUntil,
          });
      return {
        steps: [step(write), step(db.insert(events).values({ taskId, at: now, type: "submitted", detail: input.detail }))],
        // The insert must not meet a task created meanwhile (its kind may differ).
        unchanged: existing ? undefined : sql`not exists (select 1 from ${tasks} where ${tasks.taskId} = ${taskId})`,
        answer,
      };
    },
  );
}
