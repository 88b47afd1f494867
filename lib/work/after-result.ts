// What follows a result committed to a task (a callback, a replay, a poll):
// its new files start downloading, and its final state is an event to notify.
// And what follows a stored delivery: its body is indexed for search.
import "server-only";
import { indexDeliveries, nudgeSearchThread } from "@/db/search-index";
import { GATHER_MS } from "@/db/search-index-shared";
import { env } from "@/lib/core/env";
import { wakeDownloads } from "@/lib/files/downloads";
import { wakeNotifications } from "@/lib/notifications/send";
import { hasLane, nextPass } from "@/lib/work/lanes";

/** Must never delay or fail the caller. */
export function afterResultApplied(applied: { newAssets: number }): void {
  if (applied.newAssets > 0) wakeDownloads();
  // A worker's timer finds the event within a second; waking its lane on
  // every callback would only add writes under load.
  if (!hasLane("notifications")) wakeNotifications();
}

/**
 * Must never delay or fail the caller. The SQLite thread indexes the body
 * where there is one (file:); else, with a worker (WORKER=1), one pass on this
 * thread serves the deliveries stored meanwhile. Without either, the cron
 * tick does it; a search scans what is not indexed yet meanwhile.
 */
export function afterDeliveryStored(): void {
  if (!nudgeSearchThread() && env().WORKER) void nextPass("search-index", GATHER_MS, () => indexDeliveries());
}
