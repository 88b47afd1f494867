// What follows a result committed to a task (a callback, a replay, a poll):
// its new files start downloading, and its final state is an event to notify.
import "server-only";
import { wakeDownloads } from "@/lib/files/downloads";
import { wakeNotifications } from "@/lib/notifications/send";
import { hasLane } from "@/lib/work/lanes";

/** Must never delay or fail the caller. */
export function afterResultApplied(applied: { newAssets: number }): void {
  if (applied.newAssets > 0) wakeDownloads();
  // A worker's timer finds the event within a second; waking its lane on
  // every callback would only add writes under load.
  if (!hasLane("notifications")) wakeNotifications();
}
