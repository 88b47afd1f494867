// The polling queue: pending tasks due at nextPollAt, held by one worker until
// pollLeaseUntil. What a poll does to its task is decided by lib/core/rules.ts
// and written by results.ts.
import "server-only";
import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, write, writeReturning } from "@/db/client";
import { tasks, type TaskRow } from "@/db/schema";
import { applyToTask } from "@/db/queries/results";

export type PollTarget = Pick<TaskRow, "taskId" | "kind" | "status" | "createdAt">;

const target = { taskId: tasks.taskId, kind: tasks.kind, status: tasks.status, createdAt: tasks.createdAt };

export async function getPollTarget(taskId: string): Promise<PollTarget | null> {
  return (await getDb().select(target).from(tasks).where(eq(tasks.taskId, taskId)).get()) ?? null;
}

/** Pending tasks whose poll time has come and that no worker holds. */
export const dueForPoll = (now: Date) =>
  and(
    eq(tasks.status, "pending"),
    isNotNull(tasks.nextPollAt),
    lte(tasks.nextPollAt, now),
    or(isNull(tasks.pollLeaseUntil), lte(tasks.pollLeaseUntil, now)),
  );

/**
 * Takes up to `limit` due pending tasks, oldest due first, and leases them
 * until `leaseUntil` (one UPDATE … RETURNING). They are found through the
 * next-poll index in its order, so the scan ends after `limit` (the index
 * named: SQLite chose the status index, then sorted every pending task).
 */
export async function claimDuePolls(now: Date, limit: number, leaseUntil: Date): Promise<PollTarget[]> {
  if (limit < 1) return [];
  const dueIds = sql`(select ${tasks.id} from ${tasks} indexed by tasks_next_poll_at_idx
    where ${dueForPoll(now)} order by ${tasks.nextPollAt} limit ${limit})`;
  return writeReturning((w) => w.update(tasks).set({ pollLeaseUntil: leaseUntil }).where(inArray(tasks.id, dueIds)).returning(target));
}

/** Gives a claimed task back untouched (no request was sent); it stays due. */
export async function releasePoll(taskId: string): Promise<void> {
  await write(getDb().update(tasks).set({ pollLeaseUntil: null }).where(eq(tasks.taskId, taskId)));
}

/** A poll that reached no usable answer: counted, on the timeline as `poll_failed`, retried later (lib/core/rules.ts). */
export async function recordPollFailure(taskId: string, now: Date, reason: string, pollIntervalMs: number): Promise<void> {
  await applyToTask(taskId, { via: "poll_failed", reason, pollIntervalMs }, now, { polled: true, lease: null });
}

/**
 * A claimed poll is due (lib/tasks/rules.ts): true to send it (the claim is
 * kept for it); else the claim ends, and automatic polling of a task that
 * never finished stops ("Poll now" still works).
 */
export async function pollDue(taskId: string, automatic: boolean, now: Date): Promise<boolean> {
  const { decision } = await applyToTask(taskId, { via: "poll_due", automatic }, now, { lease: null });
  return decision.verdict === "poll";
}
