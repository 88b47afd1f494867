// The polling queue: pending tasks due at nextPollAt, held by one worker until
// pollLeaseUntil. A successful poll is applied by applyPolledResult (results.ts).
import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { atomic, getDb, step, write } from "@/db/client";
import { events, tasks, type TaskRow } from "@/db/schema";

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

/** Takes up to `limit` due pending tasks, oldest due first, and leases them until `leaseUntil` (one UPDATE … RETURNING). */
export async function claimDuePolls(now: Date, limit: number, leaseUntil: Date): Promise<PollTarget[]> {
  if (limit < 1) return [];
  const db = getDb();
  const due = dueForPoll(now);
  const claimed = await db
    .update(tasks)
    .set({ pollLeaseUntil: leaseUntil })
    .where(and(inArray(tasks.id, db.select({ id: tasks.id }).from(tasks).where(due).orderBy(asc(tasks.nextPollAt)).limit(limit)), due))
    .returning(target);
  return claimed;
}

/** Gives a claimed task back untouched (no request was sent); it stays due. */
export async function releasePoll(taskId: string): Promise<void> {
  await write(getDb().update(tasks).set({ pollLeaseUntil: null }).where(eq(tasks.taskId, taskId)));
}

/** A poll that reached no usable answer: counted, on the timeline as `poll_failed`, retried at nextPollAt. */
export async function recordPollFailure(taskId: string, now: Date, detail: string, nextPollAt: Date | null): Promise<void> {
  const db = getDb();
  await atomic([
    step(
      db
        .update(tasks)
        .set({
          pollCount: sql`${tasks.pollCount} + 1`,
          lastPolledAt: now,
          pollLeaseUntil: null,
          nextPollAt: sql`case when ${tasks.status} = 'pending' then ${nextPollAt?.getTime() ?? null} else ${tasks.nextPollAt} end`,
          updatedAt: now,
        })
        .where(eq(tasks.taskId, taskId)),
    ),
    step(db.insert(events).values({ taskId, at: now, type: "poll_failed", detail })),
  ]);
}

/** Ends automatic polling of a task that never finished; "Poll now" still works. */
export async function stopPolling(taskId: string, now: Date, detail: string): Promise<void> {
  const db = getDb();
  await atomic([
    step(db.update(tasks).set({ nextPollAt: null, pollLeaseUntil: null, updatedAt: now }).where(eq(tasks.taskId, taskId))),
    step(db.insert(events).values({ taskId, at: now, type: "poll_gave_up", detail })),
  ]);
}
