// Polling the provider's record-info for tasks whose callback has not come:
// automatically (part of the worker's tick) and on demand ("Poll now").
// What a poll does to its task (and when the next one comes) is decided by
// lib/core/rules.ts, as for a callback.
import "server-only";
import { claimDuePolls, getPollTarget, pollDue, recordPollFailure, releasePoll, type PollTarget } from "@/db/queries/polls";
import { applyPolledResult } from "@/db/queries/results";
import { env } from "@/lib/core/env";
import { AppError, notFound } from "@/lib/core/errors";
import { isProviderConfigured, sunoClient } from "@/lib/provider/status";
import { BACKGROUND_RESERVE, RateLimitedError, type Priority } from "@/lib/provider/client";
import { isPolledKind } from "@/lib/provider/schemas";
import { providerLimiter } from "@/lib/provider/rate-limiter";
import { afterResultApplied } from "@/lib/work/after-result";

/** Long enough for one request with its time limit; a crashed worker's claim expires after it. */
export const POLL_LEASE_MS = 60_000;

const pollIntervalMs = () => env().POLL_INTERVAL_SECONDS * 1000;

/** Polls the tasks that are due, as many as the rate limiter has room for; answers how many it polled. */
export async function runDuePolls(): Promise<number> {
  if (!isProviderConfigured()) return 0;
  const room = await providerLimiter().available(BACKGROUND_RESERVE);
  if (room === 0) return 0;
  const now = new Date();
  const due = await claimDuePolls(now, room, new Date(now.getTime() + POLL_LEASE_MS));
  const polled = await Promise.all(
    due.map(async (task) => {
      // Past the give-up time (or no longer pending), the rules stop polling instead.
      if (!(await pollDue(task.taskId, true, now))) return false;
      try {
        await pollTask(task, "background");
        return true;
      } catch (error) {
        if (error instanceof RateLimitedError) {
          await releasePoll(task.taskId); // nothing was sent; due again next tick
          return false;
        }
        if (!(error instanceof AppError)) console.error(`[poller] polling ${task.taskId} failed:`, error);
        return true;
      }
    }),
  );
  return polled.filter(Boolean).length;
}

/** "Poll now": asks the provider about one task and applies the answer; throws the provider's error. */
export async function pollNow(taskId: string): Promise<void> {
  const client = sunoClient(); // 503 without a key, before anything else
  const task = await getPollTarget(taskId);
  if (!task) throw notFound(`No task with id ${taskId}.`);
  if (!isPolledKind(task.kind)) {
    throw new AppError(
      409,
      "not_pollable",
      `Task ${taskId} is of no known kind: the provider has no record-info endpoint to ask about it.`,
    );
  }
  await pollTask(task, "manual", client);
}

/**
 * Asks record-info about one task and applies the answer; a failed poll is an
 * event too. When the limiter has no room nothing is sent or recorded and
 * RateLimitedError is thrown (the caller releases any claim).
 */
export async function pollTask(task: Pick<PollTarget, "taskId" | "kind">, priority: Priority, client = sunoClient()): Promise<void> {
  let result;
  try {
    result = await client.recordInfo(task.kind, task.taskId, priority);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) {
      const now = new Date();
      const reason = error instanceof AppError ? error.message : "the request failed unexpectedly; details are in the server log";
      await recordPollFailure(task.taskId, now, reason, pollIntervalMs());
    }
    throw error;
  }
  const now = new Date();
  // The record answers for the task we asked about, whatever it echoes.
  const applied = await applyPolledResult({ ...result, kind: task.kind, taskId: task.taskId }, now, pollIntervalMs());
  afterResultApplied(applied);
}
