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

type Pass = { running: Promise<void> | null; next: Promise<void> | null; startedAt: number };
const passes = processSingleton("work-passes", () => new Map<string, Pass>());

/**
 * Runs `run` as this process's next pass of `name`: at once when none is
 * running, else right after the running one, every caller meanwhile sharing
 * that next pass; and passes start at least `gapMs` apart. For work after
 * answers where one pass serves every caller (finding events reads all that
 * came after a cursor): under a burst of callbacks it runs a few times a
 * second, not once per callback, and each caller's work (committed before it
 * asked) is covered by the pass it waits for.
 */
export function nextPass(name: string, gapMs: number, run: () => Promise<unknown>): Promise<void> {
  let pass = passes.get(name);
  if (!pass) passes.set(name, (pass = { running: null, next: null, startedAt: -Infinity }));
  const state = pass;
  const start = (): Promise<void> => {
    state.startedAt = Date.now();
    const running: Promise<void> = run()
      .then(
        () => undefined,
        (error) => console.error(`[work] ${name} failed:`, error),
      )
      .finally(() => {
        if (state.running === running) state.running = null;
      });
    state.running = running;
    return running;
  };
  if (state.next) return state.next;
  const wait = state.startedAt + gapMs - Date.now();
  if (!state.running && wait <= 0) return start();
  state.next = (state.running ?? Promise.resolve())
    .then(() => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, state.startedAt + gapMs - Date.now()))))
    .then(() => {
      state.next = null;
      return start();
    });
  return state.next;
}

/**
 * Runs `task` once the current answer is sent (Next.js after()); answers
 * whether it will. Outside a request there is none, and the cron tick does the work.
 */
export function afterAnswer(task: () => Promise<unknown>): boolean {
  try {
    after(async () => {
      await task();
    });
    return true;
  } catch {
    // Not in a request (a script).
    return false;
  }
}

/** Lanes drained after an earlier answer right now (WORKER=0): whether work came meanwhile, and when the drain is overdue. */
const drainsAfterAnswers = processSingleton("drains-after-answers", () => new Map<Lane, { again: boolean; overdueAt: number }>());

/** Past its budget by this much, a drain is taken for gone (its answer never closed, say) and the next wake starts another. */
const OVERDUE_MARGIN_MS = 30_000;

/**
 * Starts a lane's work now: on the worker where this process has one, else
 * (WORKER=0) right after the current answer, draining for at most `budgetMs`
 * (within the route's maxDuration). While a drain started after an earlier
 * answer is on, it goes round once more for this work instead: one after()
 * per burst of callbacks, not one each: each after() cost the main thread
 * about 50 µs (profiled: Next.js binding it to the request's context, then
 * queueing and running it), 5 % of a callback. Work that comes as a drain
 * ends at its budget waits for the next callback or the cron tick.
 */
export function wakeOrAfterAnswer(lane: Lane, drain: (deadline: number) => Promise<unknown>, budgetMs: number): void {
  if (hasLane(lane)) return wake(lane);
  const running = drainsAfterAnswers.get(lane);
  if (running && Date.now() < running.overdueAt) {
    running.again = true;
    return;
  }
  const pass = { again: false, overdueAt: Date.now() + budgetMs + OVERDUE_MARGIN_MS };
  const registered = afterAnswer(async () => {
    const deadline = Date.now() + budgetMs;
    try {
      do {
        pass.again = false;
        await drain(deadline);
      } while (pass.again && Date.now() < deadline);
    } finally {
      if (drainsAfterAnswers.get(lane) === pass) drainsAfterAnswers.delete(lane);
    }
  });
  if (registered) drainsAfterAnswers.set(lane, pass);
}
