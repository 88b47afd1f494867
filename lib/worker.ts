// The background worker: due downloads and due polls, each its own lane on a
// timer in the server process, woken early when new work is stored. The queue
// lives in the database (due times and leases), so the work is safe to run
// from several processes (and, later, from a cron route where WORKER=0).
import "server-only";
import { runDueDownloads } from "@/lib/downloads";
import { env } from "@/lib/env";
import { runDuePolls } from "@/lib/poller";

const TICK_MS = 1_000;
const LANES = { downloads: runDueDownloads, polls: runDuePolls };
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

/** Starts queued downloads now instead of at the next tick (where the in-process worker runs). */
export function wakeDownloads(): void {
  wake("downloads");
}

/** Called after a result was committed; must never delay or fail the caller. */
export function afterResultApplied(applied: { newAssets: number }): void {
  if (applied.newAssets > 0) wakeDownloads();
}
