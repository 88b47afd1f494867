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
 * The after() of this process that later answers' work may join (WORKER=0):
 * it waits for that work too, so that the platform keeps the invocation
 * alive (waitUntil) until it ends.
 */
type OpenAfter = { endsAt: number; joined: Set<Promise<void>> };
const afters = processSingleton("open-after", () => ({ open: null as OpenAfter | null }));

/** Work joins an open after() only while it has this share of the work's budget left; later, it takes an after() of its own. */
const JOIN_WHILE_LEFT = 0.5;

/**
 * Runs `task` once the current answer is sent (Next.js after()), to finish
 * by the deadline it is given, `budgetMs` on; outside a request there is
 * none, and the cron tick does the work. While an earlier answer's after()
 * is open with at least half of `budgetMs` left, the task starts at once
 * instead, within that after()'s time, and that after() waits for it: one
 * after() per burst of callbacks, not one per callback and kind of work.
 * Each after() cost the main thread about 50 µs (profiled: Next.js binding
 * it to the request's context, then queueing and running it), 5 % of a
 * callback. The task never throws into the caller: its failure is logged
 * under `name`.
 */
export function afterAnswer(name: string, task: (deadline: number) => Promise<unknown>, budgetMs: number): void {
  const run = (deadline: number): Promise<void> =>
    Promise.resolve(deadline)
      .then(task)
      .then(
        () => undefined,
        (error) => console.error(`[work] ${name} failed:`, error),
      );
  const open = afters.open;
  if (open && open.endsAt - Date.now() >= budgetMs * JOIN_WHILE_LEFT) {
    const joined: Promise<void> = run(Math.min(Date.now() + budgetMs, open.endsAt)).finally(() => open.joined.delete(joined));
    open.joined.add(joined);
    return;
  }
  const own: OpenAfter = { endsAt: Date.now() + budgetMs, joined: new Set() };
  try {
    after(async () => {
      await run(own.endsAt);
      // Also the work that joins while this runs. Nothing awaits between the last look
      // and leaving: work that finds this after() gone takes one of its own.
      while (own.joined.size > 0) await Promise.all(own.joined);
      if (afters.open === own) afters.open = null;
    });
  } catch {
    return; // Not in a request (a script).
  }
  afters.open = own;
}

/**
 * Starts a lane's work now: on the worker where this process has one, else
 * (WORKER=0) after the current answer (afterAnswer), draining for at most
 * `budgetMs` (within the route's maxDuration).
 */
export function wakeOrAfterAnswer(lane: Lane, drain: (deadline: number) => Promise<unknown>, budgetMs: number): void {
  if (hasLane(lane)) return wake(lane);
  afterAnswer(lane, drain, budgetMs);
}
