// Finding events to notify, outside the results write path: the `events`
// timeline is read as a change feed after a cursor (settings), and each task
// it touched is judged by its CURRENT state (final? every file stored?). What
// is due is queued per destination with a dedupe key `<event>:<taskId>`, in
// the same atomic write that moves the cursor: a crash before it just reads
// the same events again, and a second reader (another instance) finds the
// cursor moved. Files at risk are a standing condition, found by a scan.
import "server-only";
import {
  enabledDestinations,
  enqueue,
  enqueueAndAdvance,
  eventsAfter,
  readEventsCursor,
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

/** Reads the timeline after the cursor until it is caught up (or `deadline`); answers how many notifications were queued. */
export async function detectEvents(deadline = Infinity): Promise<number> {
  let queued = 0;
  while (Date.now() < deadline) {
    const cursor = await readEventsCursor();
    const batch = await eventsAfter(cursor, BATCH);
    if (batch.length === 0) break;
    const now = new Date();
    const targets = await enabledDestinations();
    const subjects = targets.length > 0 ? await tasksWithAssets([...new Set(batch.map((e) => e.taskId))]) : [];
    const ctx = context(now);
    const rows = subjects.flatMap((s) => notificationsFor(s, occurrences(s), targets, ctx));
    queued += await enqueueAndAdvance(cursor, batch.at(-1)!.id, rows, now);
    if (batch.length < BATCH) break;
  }
  return queued;
}

/** Queues task.files_at_risk for tasks with files at risk (lib/tasks/rules.ts: not stored, deleted by the provider within 48 h). */
export async function scanFilesAtRisk(now = new Date()): Promise<number> {
  const targets = (await enabledDestinations()).filter((d) => subscribed(d, "task.files_at_risk"));
  if (targets.length === 0) return 0;
  const taskIds = await tasksAtRisk(now);
  const subjects = await tasksWithAssets(taskIds);
  const ctx = context(now);
  // A standing condition, not a moment: every subscribed destination hears of it once per task.
  const rows = subjects.flatMap((s) => notificationsFor(s, [{ event: "task.files_at_risk", at: now }], targets, ctx));
  return rows.length > 0 ? enqueue(rows, now) : 0;
}
