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

/**
 * A lane's drain running in an after() of this process (WORKER=0), open to
 * the drains of later callbacks: it waits for them too, so that the
 * platform keeps the invocation alive (waitUntil) until they end.
 */
type SharedAfter = { endsAt: number; joined: Set<Promise<void>> };
const sharedAfters = processSingleton("shared-afters", () => new Map<Lane, SharedAfter>());

/** A drain joins a shared after() only while this share of its budget is left; later, it takes an after() of its own. */
const JOIN_WHILE_LEFT = 0.5;

/**
 * Starts a lane's work now: on the worker where this process has one, else
 * (WORKER=0) right after the current answer, draining for at most `budgetMs`
 * (within the route's maxDuration). While another answer's after() drains
 * the lane, with at least half its budget left, this drain starts at once
 * and that after() waits for it: one after() per burst of callbacks, not one
 * each. Each after() cost the main thread about 50 µs (profiled: Next.js
 * binding it to the request's context, then queueing and running it), 5 % of
 * a callback.
 */
export function wakeOrAfterAnswer(lane: Lane, drain: (deadline: number) => Promise<unknown>, budgetMs: number): void {
  if (hasLane(lane)) return wake(lane);
  const drainLogged = (deadline: number) =>
    // Never throws into the caller: a callback's answer must not depend on it.
    Promise.resolve(deadline)
      .then(drain)
      .then(
        () => undefined,
        (error) => console.error(`[work] ${lane} failed:`, error),
      );
  const shared = sharedAfters.get(lane);
  if (shared && shared.endsAt - Date.now() >= budgetMs * JOIN_WHILE_LEFT) {
    const joined: Promise<void> = drainLogged(shared.endsAt).finally(() => shared.joined.delete(joined));
    shared.joined.add(joined);
    return;
  }
  const own: SharedAfter = { endsAt: Date.now() + budgetMs, joined: new Set() };
  const registered = afterAnswer(async () => {
    await drainLogged(own.endsAt);
    // Also those that join while these run. Nothing awaits between the last look and
    // leaving: a drain that finds this after() gone takes one of its own.
    while (own.joined.size > 0) await Promise.all(own.joined);
    if (sharedAfters.get(lane) === own) sharedAfters.delete(lane);
  });
  if (registered) sharedAfters.set(lane, own);
}
