// The background worker: one idempotent tick (due downloads, due polls) run
// on a timer in the server process, and woken early when new work is stored.
// The queue lives in the database (due times and leases), so a tick is safe
// to run from several processes and from a cron route.
import "server-only";
import type { RecordedDelivery } from "@/db/queries/results";
import { runDueDownloads } from "@/lib/downloads";
import { env } from "@/lib/env";
import { runDuePolls } from "@/lib/poller";

const TICK_MS = 1_000;
const state = globalThis as unknown as { sunoWorker?: { timer: NodeJS.Timeout; running: Promise<unknown> | null; again: boolean } };

/** One pass over due work; answers how much it did. */
export async function tick(): Promise<{ downloads: number; polls: number }> {
  const [downloads, polls] = await Promise.all([runDueDownloads(), runDuePolls()]);
  return { downloads, polls };
}

/** Starts the in-process timer once per server, unless WORKER=0. */
export function startWorker(): void {
  if (!env().WORKER || state.sunoWorker) return;
  state.sunoWorker = { timer: setInterval(wake, TICK_MS), running: null, again: false };
  state.sunoWorker.timer.unref();
  wake();
}

/** Runs a tick now (or right after the one in progress), never overlapping itself. */
function wake(): void {
  const worker = state.sunoWorker;
  if (!worker) return;
  if (worker.running) {
    worker.again = true;
    return;
  }
  worker.running = tick()
    .catch((error) => console.error("[worker] tick failed:", error))
    .finally(() => {
      worker.running = null;
      if (worker.again) {
        worker.again = false;
        wake();
      }
    });
}

/** Called after a result was committed; must never delay or fail the caller. */
export function afterResultApplied(recorded: Pick<RecordedDelivery, "newAssets">): void {
  if (recorded.newAssets > 0) wake();
}
