// The notification outbox, run like the download queue (db/queries/assets.ts):
// rows are due at nextAttemptAt and held by one sender until leaseUntil; every
// write after a claim is fenced by the claim's token. Events are found by
// reading the `events` timeline after a cursor kept in settings; enqueuing and
// advancing that cursor are one atomic write.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, gt, inArray, lt, ne, or, sql, type Placeholder } from "drizzle-orm";
import { atomic, atomicIf, getDb, preparedOnce, read, readBatch, sqlStep, step, write, writeReturning, type Step } from "@/db/client";
import { atRisk } from "@/db/queries/assets";
import { dueFirst, dueNow, type Queue } from "@/db/queries/due-first";
import {
  assets,
  destinations,
  events,
  notificationAttempts,
  notifications,
  settings,
  tasks,
  type AssetRow,
  type DestinationRow,
  type NotificationRow,
  type TaskRow,
} from "@/db/schema";
import { toAttempt, type Attempt } from "./destinations";

const CURSOR_KEY = "notify_events_cursor";

/** One notification to queue: for one destination, one event of one task (dedupeKey `<event>:<taskId>`). */
export type NewNotification = Pick<NotificationRow, "destinationId" | "event" | "dedupeKey" | "taskId" | "payload">;

const insertStep = (n: NewNotification, now: Date): Step =>
  step(
    getDb()
      .insert(notifications)
      .values({ ...n, messageId: newMessageId(), status: "pending", nextAttemptAt: now, createdAt: now })
      // The (destination, dedupeKey) index makes queuing idempotent: seen twice, queued once.
      .onConflictDoNothing(),
  );

/** A Standard Webhooks message id: the webhook-id header, the same on every retry. */
const newMessageId = () => `msg_${randomUUID().replaceAll("-", "")}`;

export async function enabledDestinations(): Promise<DestinationRow[]> {
  return getDb().select().from(destinations).where(eq(destinations.enabled, true)).all();
}

const p = sql.placeholder;
/** The events cursor in SQL (NULL until first set). */
const cursorValue = sql`(select cast(${settings.value} as integer) from ${settings} where ${settings.key} = ${CURSOR_KEY})`;

const detection = preparedOnce("notify-detection", (db) => {
  const eventsAfterCursor = db
    .select({ id: events.id, taskId: events.taskId })
    .from(events)
    .where(gt(events.id, cursorValue))
    .orderBy(asc(events.id))
    .limit(p("limit"))
    .as("e");
  const tasksOfThoseEvents = db.select({ taskId: eventsAfterCursor.taskId }).from(eventsAfterCursor);
  // Tasks are read only when some destination could hear of them (a constant condition: checked once).
  const anyEnabled = sql`exists (select 1 from ${destinations} where ${destinations.enabled} = 1)`;
  return {
    cursor: db.select({ value: settings.value }).from(settings).where(eq(settings.key, CURSOR_KEY)).prepare(),
    // Which events come next: how many (up to the limit) and the last one's id.
    events: db
      .select({ count: count(), last: sql<number | null>`max(${eventsAfterCursor.id})` })
      .from(eventsAfterCursor)
      .prepare(),
    // Every destination, disabled ones too: whether any exists decides whether the cursor must move.
    destinations: db.select().from(destinations).prepare(),
    tasks: db
      .select()
      .from(tasks)
      .where(and(anyEnabled, inArray(tasks.taskId, tasksOfThoseEvents)))
      .prepare(),
    assets: db
      .select()
      .from(assets)
      .where(and(anyEnabled, inArray(assets.taskId, tasksOfThoseEvents)))
      .orderBy(asc(assets.position))
      .prepare(),
    due: db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(due(p("now")), ofEnabledDestination()))
      .limit(1)
      .prepare(),
  };
});

/** What one step of finding events reads, in one batch (one round trip on libSQL). */
export type DetectionRead = {
  /** Null until the cursor is first set (initEventsCursor). */
  cursor: number | null;
  /** The events after the cursor, oldest first, up to `limit`: how many, and the last one's id. */
  events: { count: number; last: number | null };
  /** The enabled destinations. */
  destinations: DestinationRow[];
  /** Whether any destination exists, enabled or not. */
  anyDestination: boolean;
  /** The tasks those events touched, with their assets; none while no destination is enabled. */
  subjects: { task: TaskRow; assets: AssetRow[] }[];
  /** Whether some notification is due to be sent. */
  due: boolean;
};

export async function readDetection(limit: number, now: Date): Promise<DetectionRead> {
  const s = detection();
  const [cursor, found, targets, taskRows, assetRows, due] = await readBatch([
    read(s.cursor),
    read(s.events, { limit }),
    read(s.destinations),
    read(s.tasks, { limit }),
    read(s.assets, { limit }),
    read(s.due, { now: now.getTime() }),
  ]);
  return {
    cursor: cursor[0] ? Number(cursor[0].value) : null,
    events: { count: found[0]?.count ?? 0, last: found[0]?.last ?? null },
    destinations: targets.filter((d) => d.enabled),
    anyDestination: targets.length > 0,
    subjects: taskRows.map((task) => ({ task, assets: assetRows.filter((a) => a.taskId === task.taskId) })),
    due: due.length > 0,
  };
}

/** Sets the events cursor to the newest event, unless it is set: history is never sent. */
export async function initEventsCursor(): Promise<void> {
  await atomic([
    sqlStep(
      sql`insert into ${settings} (key, value) select ${CURSOR_KEY}, cast(coalesce(max(${events.id}), 0) as text) from ${events} where true
          on conflict (key) do nothing`,
    ),
  ]);
}

/** The tasks named, with their assets. */
export async function tasksWithAssets(taskIds: string[]): Promise<{ task: TaskRow; assets: AssetRow[] }[]> {
  if (taskIds.length === 0) return [];
  const db = getDb();
  const [taskRows, assetRows] = await readBatch([
    read(db.select().from(tasks).where(inArray(tasks.taskId, taskIds))),
    read(db.select().from(assets).where(inArray(assets.taskId, taskIds)).orderBy(asc(assets.position))),
  ]);
  return taskRows.map((task) => ({ task, assets: assetRows.filter((a) => a.taskId === task.taskId) }));
}

/** Ids of tasks with files at risk (lib/tasks/rules.ts). */
export async function tasksAtRisk(now: Date): Promise<string[]> {
  const rows = await getDb()
    .selectDistinct({ taskId: tasks.taskId })
    .from(assets)
    .innerJoin(tasks, eq(tasks.taskId, assets.taskId))
    .where(atRisk(now))
    .limit(500)
    .all();
  return rows.map((r) => r.taskId);
}

/**
 * Queues `rows` and moves the cursor from `from` to `to`, atomically and only
 * if the cursor is still at `from`: of two instances reading the same events,
 * one queues them and the other finds the cursor moved (and queues nothing).
 * Answers how many were queued.
 */
export async function enqueueAndAdvance(from: number, to: number, rows: NewNotification[], now: Date): Promise<number> {
  const results = await atomicIf(sql`${cursorValue} = ${from}`, [
    ...rows.map((n) => insertStep(n, now)),
    step(
      getDb()
        .update(settings)
        .set({ value: String(to) })
        .where(eq(settings.key, CURSOR_KEY)),
    ),
  ]);
  return results?.slice(0, rows.length).reduce((n, r) => n + r.changes, 0) ?? 0;
}

/** Queues `rows` (idempotent); answers how many were new. */
export async function enqueue(rows: NewNotification[], now: Date): Promise<number> {
  const results = await atomic(rows.map((n) => insertStep(n, now)));
  return results.reduce((n, r) => n + r.changes, 0);
}

// ---------------------------------------------------------------------------
// Sending

/** What a sender holds after a claim. */
export type NotificationClaim = Pick<NotificationRow, "id" | "destinationId" | "messageId" | "event" | "payload" | "attempts"> & {
  claimToken: string;
  destination: Pick<DestinationRow, "url" | "format" | "secret">;
};

const NOTIFICATIONS: Queue = {
  table: notifications,
  index: "notifications_status_next_idx",
  id: notifications.id,
  status: notifications.status,
  nextAttemptAt: notifications.nextAttemptAt,
  leaseUntil: notifications.leaseUntil,
  waiting: "pending",
  held: "sending",
};

/** Due at `now` (a Date, or a placeholder for epoch ms): pending whose time has come, or sending whose sender's lease ran out. */
const due = (now: Date | Placeholder) => dueNow(NOTIFICATIONS, now);

const ofEnabledDestination = () =>
  inArray(notifications.destinationId, getDb().select({ id: destinations.id }).from(destinations).where(eq(destinations.enabled, true)));

/**
 * Takes due notifications of enabled destinations, at most `free(destinationId)`
 * of each destination and `limit` in all: candidates are read, then taken with
 * one UPDATE … RETURNING that checks they are still due, so two senders never
 * hold the same row (a lost race only means fewer claims).
 */
export async function claimDueNotifications(
  now: Date,
  limit: number,
  free: (destinationId: number) => number,
  leaseUntil: Date,
): Promise<NotificationClaim[]> {
  if (limit <= 0) return [];
  const db = getDb();
  const candidates = await db
    .select({ id: notifications.id, destinationId: notifications.destinationId })
    .from(notifications)
    .where(inArray(notifications.id, dueFirst(NOTIFICATIONS, now, 100, ofEnabledDestination())))
    .orderBy(asc(notifications.nextAttemptAt), asc(notifications.id))
    .all();
  const taken = new Map<number, number>();
  const ids: number[] = [];
  for (const c of candidates) {
    if (ids.length >= limit) break;
    const n = taken.get(c.destinationId) ?? 0;
    if (n >= free(c.destinationId)) continue;
    taken.set(c.destinationId, n + 1);
    ids.push(c.id);
  }
  if (ids.length === 0) return [];
  const claimToken = randomUUID();
  const claimed = await writeReturning((w) =>
    w
      .update(notifications)
      .set({ status: "sending", leaseUntil, claimToken, attempts: sql`${notifications.attempts} + 1` })
      .where(and(inArray(notifications.id, ids), due(now)))
      .returning({
        id: notifications.id,
        destinationId: notifications.destinationId,
        messageId: notifications.messageId,
        event: notifications.event,
        payload: notifications.payload,
        attempts: notifications.attempts,
      }),
  );
  if (claimed.length === 0) return [];
  const targets = await db
    .select({ id: destinations.id, url: destinations.url, format: destinations.format, secret: destinations.secret })
    .from(destinations)
    .where(
      inArray(
        destinations.id,
        claimed.map((c) => c.destinationId),
      ),
    )
    .all();
  return claimed.flatMap((c) => {
    const destination = targets.find((t) => t.id === c.destinationId);
    // Deleted between the claim and this read: its rows are gone too.
    return destination ? [{ ...c, claimToken, destination }] : [];
  });
}

export type AttemptResult = { at: Date; statusCode: number | null; durationMs: number; error: string | null };
/** After an attempt: sent, due again at a time, or failed for good (resendable by hand). */
export type Next = { status: "delivered" } | { status: "pending"; retryAt: Date } | { status: "failed" };

/** Records an attempt and what follows; null when the claim was lost (nothing is written then). */
export async function finishAttempt(claim: NotificationClaim, result: AttemptResult, next: Next): Promise<Attempt | null> {
  const db = getDb();
  const [updated, inserted] = await atomic([
    step(
      db
        .update(notifications)
        .set({
          status: next.status,
          nextAttemptAt: next.status === "pending" ? next.retryAt : null,
          leaseUntil: null,
          claimToken: null,
          lastError: next.status === "delivered" ? null : (result.error ?? `HTTP ${result.statusCode}`),
          ...(next.status === "delivered" ? { deliveredAt: result.at } : {}),
        })
        .where(and(eq(notifications.id, claim.id), eq(notifications.status, "sending"), eq(notifications.claimToken, claim.claimToken))),
    ),
    // Written only if the fenced update above changed the row.
    sqlStep(
      sql`insert into ${notificationAttempts} (notification_id, destination_id, at, status_code, duration_ms, error)
          select ${claim.id}, ${claim.destinationId}, ${result.at.getTime()}, ${result.statusCode}, ${result.durationMs}, ${result.error}
          where changes() > 0`,
    ),
  ]);
  if (updated!.changes === 0 || inserted!.changes === 0) return null;
  return toAttempt({
    id: inserted!.lastInsertRowid,
    notificationId: claim.id,
    event: claim.event,
    messageId: claim.messageId,
    at: result.at,
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    error: result.error,
    notificationStatus: next.status,
  });
}

/** A `test` notification, created already claimed by the caller, who sends it at once. */
export async function createTestNotification(
  destination: DestinationRow,
  payload: string,
  now: Date,
  leaseUntil: Date,
): Promise<NotificationClaim> {
  const messageId = newMessageId();
  const claimToken = randomUUID();
  const [row] = await writeReturning((w) =>
    w
      .insert(notifications)
      .values({
        destinationId: destination.id,
        messageId,
        event: "test",
        dedupeKey: `test:${messageId}`,
        taskId: null,
        payload,
        status: "sending",
        attempts: 1,
        leaseUntil,
        claimToken,
        createdAt: now,
      })
      .returning({ id: notifications.id }),
  );
  return {
    id: row!.id,
    destinationId: destination.id,
    messageId,
    event: "test",
    payload,
    attempts: 1,
    claimToken,
    destination,
  };
}

/**
 * Queues a notification again now, with a fresh retry schedule and the same
 * webhook-id. Answers "busy" while a live sender holds it, null when unknown.
 */
export async function requeueNotification(id: number, now: Date): Promise<NotificationRow | "busy" | null> {
  const db = getDb();
  const result = await write(
    db
      .update(notifications)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null, claimToken: null, lastError: null })
      .where(and(eq(notifications.id, id), or(ne(notifications.status, "sending"), lt(notifications.leaseUntil, now)))),
  );
  const row = await db.select().from(notifications).where(eq(notifications.id, id)).get();
  if (!row) return null;
  return result.changes > 0 ? row : "busy";
}

/** How many notifications are due (a query for a read batch). */
export const dueNotificationsCount = (now: Date) =>
  getDb()
    .select({ n: count() })
    .from(notifications)
    .where(and(due(now), ofEnabledDestination()));
