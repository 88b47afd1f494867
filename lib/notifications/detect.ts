// Finding events to notify, outside the results write path: the `events`
// timeline is read as a change feed after a cursor (settings), and each task
// it touched is judged by its CURRENT state (final? every file stored?). What
// is due is queued per destination with a dedupe key `<event>:<taskId>`, in
// the same atomic write that moves the cursor: a crash before it just reads
// the same events again, and a second reader (another instance) finds the
// cursor moved. Files at risk are a standing condition, found by a scan.
import "server-only";
import {
  enqueue,
  enqueueAndAdvance,
  initEventsCursor,
  readDetection,
  tasksAtRisk,
  tasksWithAssets,
  type NewNotification,
} from "@/db/queries/notifications";
import type { AssetRow, DestinationRow, TaskRow } from "@/db/schema";
import type { NotifyEvent } from "@/lib/core/enums";
import { env } from "@/lib/core/env";
import { buildPayload, type PayloadContext } from "./payload";

/** Timeline events read per step. */
const BATCH = 200;

type Subject = { task: TaskRow; assets: AssetRow[] };
type Occurrence = { event: NotifyEvent; at: Date };

/** What has happened to a task, by its current state, and when. */
function occurrences({ task, assets }: Subject): Occurrence[] {
  const found: Occurrence[] = [];
  if (task.status === "succeeded" || task.status === "failed") {
    // When the dashboard learned it: a poll may find a task the provider finished long before.
    // (updatedAt moves only when the result or files change: a replay or duplicate that changes nothing leaves it.)
    found.push({ event: `task.${task.status}`, at: new Date(Math.max(task.completedAt?.getTime() ?? 0, task.updatedAt.getTime())) });
  }
  // Only a succeeded task's files are all there: a music task stores its first track's while still pending.
  if (task.status === "succeeded" && assets.length > 0 && assets.every((a) => a.status === "stored" && a.storedAt)) {
    found.push({ event: "task.files_stored", at: new Date(Math.max(...assets.map((a) => a.storedAt!.getTime()))) });
  }
  return found;
}

const subscribed = (destination: DestinationRow, event: NotifyEvent) => (JSON.parse(destination.events) as string[]).includes(event);

function context(now: Date): PayloadContext {
  const config = env();
  return { baseUrl: config.PUBLIC_BASE_URL, loginRequired: Boolean(config.DASHBOARD_PASSWORD), now };
}

function notificationsFor(subject: Subject, found: Occurrence[], targets: DestinationRow[], ctx: PayloadContext): NewNotification[] {
  return found.flatMap(({ event, at }) =>
    targets
      // Only what happened after a destination was made: a new destination gets no history.
      .filter((d) => subscribed(d, event) && d.createdAt.getTime() <= at.getTime())
      .map((d) => ({
        destinationId: d.id,
        event,
        dedupeKey: `${event}:${subject.task.taskId}`,
        taskId: subject.task.taskId,
        payload: buildPayload(d.format, event, at, subject, ctx),
      })),
  );
}

/** What finding events saw: notifications queued, the enabled destinations, whether any notification is due. */
export type Detected = { queued: number; destinations: DestinationRow[]; due: boolean };

/**
 * Reads the timeline after the cursor until it is caught up (or `deadline`):
 * each step one read batch and, when there were events, one write that queues
 * what they call for and moves the cursor.
 */
export async function detectEvents(deadline = Infinity): Promise<Detected> {
  let queued = 0;
  for (;;) {
    const now = new Date();
    const found = await readDetection(BATCH, now);
    if (found.cursor === null) {
      await initEventsCursor();
      continue;
    }
    const { cursor, events, destinations, subjects } = found;
    // With no destination at all, events call for nothing: the cursor moves on
    // in whole batches only, so a pass that finds a few costs no write (a
    // destination made later never hears of them: nothing before its creation
    // is sent). A disabled destination keeps the cursor moving, so enabling it
    // again sends nothing from while it was off.
    const idle = !found.anyDestination && events.count < BATCH;
    if (events.last !== null && !idle) {
      const ctx = context(now);
      const rows = subjects.flatMap((s) => notificationsFor(s, occurrences(s), destinations, ctx));
      queued += await enqueueAndAdvance(cursor, events.last, rows, now);
    }
    if (events.count < BATCH || Date.now() >= deadline) return { queued, destinations, due: found.due };
  }
}

/** Queues task.files_at_risk for tasks with files at risk (lib/tasks/rules.ts: not stored, deleted by the provider within 48 h). */
export async function scanFilesAtRisk(destinations: DestinationRow[], now = new Date()): Promise<number> {
  const targets = destinations.filter((d) => subscribed(d, "task.files_at_risk"));
  if (targets.length === 0) return 0;
  const taskIds = await tasksAtRisk(now);
  const subjects = await tasksWithAssets(taskIds);
  const ctx = context(now);
  // A standing condition, not a moment: every subscribed destination hears of it once per task.
  const rows = subjects.flatMap((s) => notificationsFor(s, [{ event: "task.files_at_risk", at: now }], targets, ctx));
  return rows.length > 0 ? enqueue(rows, now) : 0;
}
