import "server-only";
import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb, planWrite, preparedOnce, read, readBatch, step, type Db } from "@/db/client";
import { assets, deliveries, events, outputs, tasks, tracks, type TaskRow } from "@/db/schema";
import type { TaskKind, TaskStatus } from "@/lib/core/enums";
import type { MidiData } from "@/lib/core/result";
import { deliveryPreviewColumns } from "./deliveries";
import {
  thumbnailUrl,
  toAsset,
  toDeliveryPreview,
  toEvent,
  toOutputs,
  toTask,
  toTrack,
  type Page,
  type Task,
  type TaskDetail,
} from "./dto";
import { taskStatsReads, toTaskStats, type TaskStats } from "./stats";

export type TaskFilter = {
  kind?: TaskKind;
  status?: TaskStatus;
  q?: string;
  /** createdAt ≥ from and < to (exports). */
  from?: Date;
  to?: Date;
  cursor?: number;
  limit: number;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** How far a task's files are: counts by state and bytes, for progress bars in lists. */
export type AssetProgress = {
  assetsTotal: number;
  assetsStored: number;
  assetsFailed: number;
  /** Pending or downloading: work still to do. */
  assetsActive: number;
  bytes: number;
  bytesReceived: number;
};
/** `thumbnailUrl`: the small image of a cover task's first stored cover (lib/media/thumbnail.ts), else null. */
export type TaskListItem = Task & AssetProgress & { thumbnailUrl: string | null };

const NO_ASSETS: AssetProgress = { assetsTotal: 0, assetsStored: 0, assetsFailed: 0, assetsActive: 0, bytes: 0, bytesReceived: 0 };

// Per task row of a list: its files' progress and its first stored cover, each
// one lookup in the assets' task_id/position index. Spelled out: Drizzle leaves
// the list's own columns unqualified, and task_id alone would name the assets'.
const progressJson = sql<string | null>`(select json_object(
    'assetsTotal', count(*),
    'assetsStored', coalesce(sum(a.status = 'stored'), 0),
    'assetsFailed', coalesce(sum(a.status = 'failed'), 0),
    'assetsActive', coalesce(sum(a.status in ('pending', 'downloading')), 0),
    'bytes', coalesce(sum(a.bytes), 0),
    'bytesReceived', coalesce(sum(a.bytes_received), 0))
  from assets a where a.task_id = "tasks"."task_id")`;
const firstCoverJson = sql<string | null>`(select json_array(a.id, a.sha256) from assets a
  where a.task_id = "tasks"."task_id" and a.type = 'image' and a.storage_path is not null order by a.position limit 1)`;

/** The read of a page of the task list (newest first, keyset-paginated on the insertion id, stable under concurrent inserts). */
function taskPageRead(filter: TaskFilter) {
  const where: SQL[] = [];
  if (filter.kind) where.push(eq(tasks.kind, filter.kind));
  if (filter.status) where.push(eq(tasks.status, filter.status));
  if (filter.from) where.push(gte(tasks.createdAt, filter.from));
  if (filter.to) where.push(lt(tasks.createdAt, filter.to));
  if (filter.cursor !== undefined) where.push(lt(tasks.id, filter.cursor));
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    // SQLite's LIKE has no escape character unless told: without it `_` and `%` in ids are wildcards.
    const matches = (column: SQL) => sql`${column} like ${pattern} escape '\\'`;
    where.push(or(matches(sql`${tasks.taskId}`), matches(sql`${tasks.parentTaskId}`))!);
  }
  return read(
    getDb()
      .select({ task: tasks, progress: progressJson, firstCover: firstCoverJson })
      .from(tasks)
      .where(and(...where))
      .orderBy(desc(tasks.id))
      .limit(filter.limit + 1),
  );
}

type TaskPageRow = { task: TaskRow; progress: string | null; firstCover: string | null };

function toTaskPage(rows: TaskPageRow[], limit: number): Page<TaskListItem> {
  const items = rows.slice(0, limit);
  return {
    items: items.map(({ task, progress, firstCover }) => {
      const cover = firstCover ? (JSON.parse(firstCover) as [number, string | null]) : null;
      return {
        ...toTask(task),
        ...(progress ? (JSON.parse(progress) as AssetProgress) : NO_ASSETS),
        thumbnailUrl: cover ? thumbnailUrl(cover[0], cover[1]) : null,
      };
    }),
    nextCursor: rows.length > limit ? String(items.at(-1)!.task.id) : null,
  };
}

/** A page of the task list, with each task's file progress and first cover: one read. */
export async function listTasks(filter: TaskFilter): Promise<Page<TaskListItem>> {
  const [rows] = await readBatch([taskPageRead(filter)]);
  return toTaskPage(rows, filter.limit);
}

/** What the task list page shows: a page of tasks and the counts above it, in one read batch (one round trip on libSQL). */
export async function listTasksWithStats(filter: TaskFilter): Promise<{ page: Page<TaskListItem>; stats: TaskStats }> {
  const [rows, ...stats] = await readBatch([taskPageRead(filter), ...taskStatsReads()]);
  return { page: toTaskPage(rows, filter.limit), stats: toTaskStats(...stats) };
}

/** The newest deliveries and events a task's detail carries; the inbox filtered by task has every delivery. */
export const DETAIL_DELIVERIES = 10;
export const DETAIL_EVENTS = 100;

/** The children a task's detail lists at most (oldest first). */
export const DETAIL_CHILDREN = 200;

/**
 * The detail's reads, built and prepared once per process with the task id as
 * a placeholder: pages and scripts poll a task while it works, and building
 * and compiling eight selects each time was most of a detail's CPU.
 */
const detailReads = preparedOnce("task-detail", (db) => {
  const taskId = sql.placeholder("taskId");
  return {
    task: db.select().from(tasks).where(eq(tasks.taskId, taskId)).prepare(),
    assets: db.select().from(assets).where(eq(assets.taskId, taskId)).orderBy(asc(assets.position)).prepare(),
    deliveries: db
      .select(deliveryPreviewColumns)
      .from(deliveries)
      .where(eq(deliveries.taskId, taskId))
      .orderBy(desc(deliveries.id))
      .limit(DETAIL_DELIVERIES)
      .prepare(),
    events: db.select().from(events).where(eq(events.taskId, taskId)).orderBy(desc(events.id)).limit(DETAIL_EVENTS).prepare(),
    tracks: db.select().from(tracks).where(eq(tracks.taskId, taskId)).orderBy(asc(tracks.position), asc(tracks.id)).prepare(),
    outputs: db.select({ lyrics: outputs.lyrics, midi: outputs.midi }).from(outputs).where(eq(outputs.taskId, taskId)).prepare(),
    parent: parentRead(db, taskId).prepare(),
    children: childrenRead(db, taskId).prepare(),
  };
});

/** The task with its files, newest deliveries (previews), timeline, results and family, in one read batch; null when unknown. */
export async function getTaskDetail(taskId: string): Promise<TaskDetail | null> {
  const q = detailReads();
  const values = { taskId };
  const [taskRows, assetRows, deliveryRows, eventRows, trackRows, outputRows, parentRows, childRows] = await readBatch([
    read(q.task, values),
    read(q.assets, values),
    read(q.deliveries, values),
    read(q.events, values),
    read(q.tracks, values),
    read(q.outputs, values),
    read(q.parent, values),
    read(q.children, values),
  ]);
  const task = taskRows[0];
  if (!task) return null;
  return {
    task: toTask(task),
    assets: assetRows.map(toAsset),
    deliveries: deliveryRows.map(toDeliveryPreview),
    events: eventRows.map(toEvent),
    tracks: trackRows.map(toTrack),
    ...toOutputs(outputRows[0]),
    parent: parentRows[0] ? toTask(parentRows[0]) : null,
    children: childRows.map(toTask),
  };
}

/**
 * The task `taskId` was made from: the one its parentTaskId names (a cover's or
 * WAV's music task, or as told when tracking), else the music task with the
 * track its audioId names (a separation or video made from that track). Keyed
 * on the id alone, so it rides in the detail's one read batch.
 */
function parentRead(db: Db, taskId: Placeholder) {
  const self = alias(tasks, "self");
  const owner = alias(tasks, "owner");
  const named = db.select({ parent: self.parentTaskId }).from(self).where(eq(self.taskId, taskId));
  const trackOwner = db
    .select({ taskId: tracks.taskId })
    .from(tracks)
    .innerJoin(self, eq(self.audioId, tracks.trackId))
    .innerJoin(owner, eq(owner.taskId, tracks.taskId))
    .where(and(eq(self.taskId, taskId), ne(tracks.taskId, taskId)))
    .orderBy(asc(owner.id))
    .limit(1);
  return db
    .select()
    .from(tasks)
    .where(or(eq(tasks.taskId, sql`(${named})`), and(sql`(${named}) is null`, eq(tasks.taskId, sql`(${trackOwner})`))))
    .limit(1);
}

/** The tasks made from `taskId`: those naming it as their parent, and those without one made from one of its tracks. */
function childrenRead(db: Db, taskId: Placeholder) {
  const ownTracks = db.select({ trackId: tracks.trackId }).from(tracks).where(eq(tracks.taskId, taskId));
  return db
    .select()
    .from(tasks)
    .where(
      and(ne(tasks.taskId, taskId), or(eq(tasks.parentTaskId, taskId), and(isNull(tasks.parentTaskId), inArray(tasks.audioId, ownTracks)))),
    )
    .orderBy(asc(tasks.id))
    .limit(DETAIL_CHILDREN);
}

/** A MIDI task's notes; null when the task is unknown or has none. */
export async function getTaskMidi(taskId: string): Promise<MidiData | null> {
  const row = await getDb().select({ midi: outputs.midi }).from(outputs).where(eq(outputs.taskId, taskId)).get();
  return toOutputs(row ? { lyrics: null, midi: row.midi } : undefined).midi;
}

/** The storage keys a task's files occupy (copies and thumbnails); null when the task is unknown. */
export async function taskStorageKeys(taskId: string): Promise<string[] | null> {
  const db = getDb();
  const task = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.taskId, taskId)).get();
  if (!task) return null;
  const rows = await db
    .select({ storagePath: assets.storagePath, thumbnailPath: assets.thumbnailPath })
    .from(assets)
    .where(eq(assets.taskId, taskId));
  return rows.flatMap((r) => [r.storagePath, r.thumbnailPath]).filter((key): key is string => key !== null);
}

/**
 * Deletes a task with its assets, tracks, outputs, timeline and deliveries in one commit.
 * Answers the storage keys its files named at that moment (a download may have
 * stored one since the caller read them), or null when it was already gone.
 */
export async function deleteTaskRows(taskId: string): Promise<string[] | null> {
  const db = getDb();
  return planWrite(
    () =>
      db
        .select({ storagePath: assets.storagePath, thumbnailPath: assets.thumbnailPath })
        .from(assets)
        .where(eq(assets.taskId, taskId))
        .all(),
    (rows) => {
      const keys = rows.flatMap((r) => [r.storagePath, r.thumbnailPath]).filter((key): key is string => key !== null);
      const unnamed = (column: typeof assets.storagePath | typeof assets.thumbnailPath) =>
        keys.length === 0 ? sql`${column} is not null` : sql`${column} is not null and ${column} not in ${keys}`;
      return {
        steps: [
          step(db.delete(deliveries).where(eq(deliveries.taskId, taskId))),
          step(db.delete(events).where(eq(events.taskId, taskId))),
          step(db.delete(assets).where(eq(assets.taskId, taskId))),
          step(db.delete(tracks).where(eq(tracks.taskId, taskId))),
          step(db.delete(outputs).where(eq(outputs.taskId, taskId))),
          step(db.delete(tasks).where(eq(tasks.taskId, taskId))),
        ],
        // No file of the task names a key the read did not see.
        unchanged: sql`not exists (select 1 from ${assets} where ${assets.taskId} = ${taskId} and ((${unnamed(assets.storagePath)}) or (${unnamed(assets.thumbnailPath)})))`,
        answer: (results) => (results.at(-1)!.changes > 0 ? keys : null),
      };
    },
  );
}
