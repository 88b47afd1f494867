// Who drives the work queue (due downloads and due polls, kept in the
// database with due times and leases, so any number of processes may run it):
// - WORKER=1: a timer in the server process, one lane each for downloads and
//   polls, woken early when new work is stored;
// - WORKER=0 (Vercel): a callback that creates downloads runs them itself
//   right after its answer (Next.js after()), and GET /api/cron/tick runs one
//   bounded round of everything due.
import "server-only";
import { after } from "next/server";
import { countDueWork } from "@/db/queries/queue";
import { drainDownloads, runDueDownloads } from "@/lib/downloads";
import { env } from "@/lib/env";
import { runDuePolls } from "@/lib/poller";

const TICK_MS = 1_000;
const LANES = { downloads: () => runDueDownloads(), polls: runDuePolls };
type Lane = keyof typeof LANES;
type LaneState = { running: boolean; again: boolean };

// On globalThis: Next bundles routes and instrumentation separately, and they must share one worker.
const state = globalThis as unknown as { sunoWorker?: { timer: NodeJS.Timeout; lanes: Record<Lane, LaneState> } };

/** Starts the in-process timer once per server, unless WORKER=0. */
export function startWorker(): void {
  if (!env().WORKER || state.sunoWorker) return;
  const idle = (): LaneState => ({ running: false, again: false });
  const timer = setInterval(() => {
    wake("downloads");
    wake("polls");
  }, TICK_MS);
  timer.unref();
  state.sunoWorker = { timer, lanes: { downloads: idle(), polls: idle() } };
  wake("downloads");
  wake("polls");
}

/**
 * Runs a lane now, or right after its run in progress: a lane never overlaps
 * itself, and a slow provider call never holds up downloads (or the reverse).
 */
function wake(lane: Lane): void {
  const worker = state.sunoWorker;
  if (!worker) return;
  const current = worker.lanes[lane];
  if (current.running) {
    current.again = true;
    return;
  }
  current.running = true;
  LANES[lane]()
    .catch((error) => console.error(`[worker] ${lane} failed:`, error))
    .finally(() => {
      current.running = false;
      if (current.again) {
        current.again = false;
        wake(lane);
      }
    });
}

/** How long downloads started after a callback's answer may run (within the route's maxDuration). */
const AFTER_BUDGET_MS = 50_000;

/** Starts queued downloads now: on the in-process worker, or after the current answer where there is none. */
export function wakeDownloads(): void {
  if (env().WORKER) return wake("downloads");
  try {
    after(() => drainDownloads(Date.now() + AFTER_BUDGET_MS).then(() => undefined));
  } catch {
    // Outside a request (a script): the next cron tick takes the downloads.
  }
}

/** Called after a result was committed; must never delay or fail the caller. */
export function afterResultApplied(applied: { newAssets: number }): void {
  if (applied.newAssets > 0) wakeDownloads();
}

type TickReport = {
  downloads: { started: number; stored: number; failed: number; retrying: number; due: number };
  polls: { polled: number; due: number };
  tookMs: number;
};

/**
 * One bounded round of due work, for GET /api/cron/tick: polls first (their
 * results may queue downloads), then downloads until `budgetMs` runs out.
 * Claims make overlapping ticks (and other instances' workers) skip rows
 * already taken. Whatever is left stays due for the next tick.
 */
export async function runTick(budgetMs: number): Promise<TickReport> {
  const started = Date.now();
  const deadline = started + budgetMs;
  const polled = await runDuePolls();
  const downloads = await drainDownloads(deadline);
  const due = await countDueWork(new Date());
  return {
    downloads: { ...downloads, due: due.downloads },
    polls: { polled, due: due.polls },
    tookMs: Date.now() - started,
  };
}
