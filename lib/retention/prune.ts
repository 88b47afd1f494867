// Retention (DELIVERY_RETENTION_DAYS, FILE_RETENTION_DAYS): raw delivery
// bodies and stored files older than configured are removed, as queued work
// like downloads. The rows to remove are found by their age in the database
// (so any process may run it, and a crash loses nothing: the next run takes
// what is left), in batches of BATCH rows with a short pause between batches so
// callbacks are never held up. It runs on the worker's "retention" lane every
// few minutes, after a callback's answer where there is no worker (claimed
// through the database, so once per interval across instances), and in every
// cron tick.
import "server-only";
import { claimRetentionRun, pruneDeliveries, recordRetentionRun, takeExpiredFiles } from "@/db/queries/retention";
import { env } from "@/lib/core/env";
import { storage } from "@/lib/storage";
import { afterAnswer, hasLane } from "@/lib/work/lanes";

const DAY_MS = 86_400_000;
/** Rows per batch: one short write each. */
const BATCH = 200;
/** Pause between batches, leaving the database to callbacks. */
const PAUSE_MS = 25;
/** How often retention runs (the worker's lane, and after() without a worker). */
export const RETENTION_EVERY_MS = 5 * 60_000;
/** How long a run after a callback's answer may take (within the route's time limit). */
const AFTER_BUDGET_MS = 20_000;

export type RetentionReport = { deliveriesPruned: number; filesRemoved: number; bytesFreed: number; done: boolean };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** True when either retention setting is on. */
export function retentionEnabled(): boolean {
  const config = env();
  return config.DELIVERY_RETENTION_DAYS > 0 || config.FILE_RETENTION_DAYS > 0;
}

/**
 * Removes what is older than the settings allow, batch by batch, until nothing
 * is left or `deadline` passes (`done` says which). Records what it removed.
 */
export async function runRetention(deadline = Infinity): Promise<RetentionReport> {
  const { DELIVERY_RETENTION_DAYS: deliveryDays, FILE_RETENTION_DAYS: fileDays } = env();
  const report: RetentionReport = { deliveriesPruned: 0, filesRemoved: 0, bytesFreed: 0, done: true };
  const started = new Date();
  let deliveriesLeft = deliveryDays > 0;
  let filesLeft = fileDays > 0;
  while (deliveriesLeft || filesLeft) {
    if (Date.now() >= deadline) {
      report.done = false;
      break;
    }
    const now = new Date();
    if (deliveriesLeft) {
      const pruned = await pruneDeliveries(new Date(now.getTime() - deliveryDays * DAY_MS), BATCH, now);
      report.deliveriesPruned += pruned;
      deliveriesLeft = pruned === BATCH;
    }
    if (filesLeft) {
      const files = await takeExpiredFiles(new Date(now.getTime() - fileDays * DAY_MS), BATCH, now, fileDays);
      await removeObjects(files.flatMap((f) => (f.thumbnailPath ? [f.storagePath, f.thumbnailPath] : [f.storagePath])));
      report.filesRemoved += files.length;
      report.bytesFreed += files.reduce((sum, f) => sum + (f.bytes ?? 0), 0);
      filesLeft = files.length === BATCH;
    }
    if (deliveriesLeft || filesLeft) await sleep(PAUSE_MS);
  }
  if (report.deliveriesPruned > 0 || report.filesRemoved > 0) {
    const { deliveriesPruned, filesRemoved, bytesFreed } = report;
    await recordRetentionRun({ at: started.toISOString(), deliveriesPruned, filesRemoved, bytesFreed });
  }
  return report;
}

/** Deletes stored objects a few at a time; one that cannot be deleted is logged and left (its row already says removed). */
async function removeObjects(keys: string[]): Promise<void> {
  const store = storage();
  for (let i = 0; i < keys.length; i += 8) {
    await Promise.all(
      keys.slice(i, i + 8).map((key) => store.remove(key).catch((error) => console.error(`[retention] removing ${key} failed:`, error))),
    );
  }
}

/**
 * Called after a callback's answer: on the worker its timer does the work;
 * without one, a run is due once per RETENTION_EVERY_MS across every instance.
 */
export function afterCallbackRetention(): void {
  if (hasLane("retention") || !retentionEnabled()) return;
  afterAnswer(
    "retention",
    async (deadline) => {
      if (await claimRetentionRun(new Date(), RETENTION_EVERY_MS)) await runRetention(deadline);
    },
    AFTER_BUDGET_MS,
  );
}
