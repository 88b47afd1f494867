// The in-process worker's lanes (downloads, polls, notifications), kept apart from what runs
// in them so that the modules doing the work can wake a lane without
// importing the worker: lib/work/worker.ts registers each lane's runner, and
// everything else only calls wake().
import "server-only";
import { after } from "next/server";
import { processSingleton } from "@/lib/core/registry";

export type Lane = "downloads" | "polls" | "notifications" | "retention";
type LaneState = { run?: () => Promise<unknown>; running: boolean; again: boolean };

const lanes = processSingleton("work-lanes", (): Record<Lane, LaneState> => ({
  downloads: { running: false, again: false },
  polls: { running: false, again: false },
  notifications: { running: false, again: false },
  retention: { running: false, again: false },
}));

/** Gives a lane its runner; until then (WORKER=0, scripts) waking it does nothing. */
export function registerLane(lane: Lane, run: () => Promise<unknown>): void {
  lanes[lane].run = run;
}

export function hasLane(lane: Lane): boolean {
  return lanes[lane].run !== undefined;
}

/**
 * Runs a lane now, or right after its run in progress: a lane never overlaps
 * itself, and a slow provider call never holds up downloads (or the reverse).
 */
export function wake(lane: Lane): void {
  const current = lanes[lane];
  if (!current.run) return;
  if (current.running) {
    current.again = true;
    return;
  }
  current.running = true;
  current
    .run()
    .catch((error) => console.error(`[worker] ${lane} failed:`, error))
    .finally(() => {
      current.running = false;
      if (current.again) {
        current.again = false;
        wake(lane);
      }
    });
}

/** Runs `task` once the current answer is sent (Next.js after()); outside a request there is none, and the cron tick does the work. */
export function afterAnswer(task: () => Promise<unknown>): void {
  try {
    after(async () => {
      await task();
    });
  } catch {
    // Not in a request (a script).
  }
}

/**
 * Starts a lane's work now: on the worker where this process has one, else
 * (WORKER=0) right after the current answer, draining for at most `budgetMs`
 * (within the route's maxDuration).
 */
export function wakeOrAfterAnswer(lane: Lane, drain: (deadline: number) => Promise<unknown>, budgetMs: number): void {
  if (hasLane(lane)) return wake(lane);
  afterAnswer(() => drain(Date.now() + budgetMs));
}
