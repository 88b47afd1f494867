import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, planWrite, step } from "@/db/client";
import { assets, deliveries, events, outputs, tasks, tracks, type TaskRow } from "@/db/schema";
import type { TaskKind, TaskStatus } from "@/lib/core/enums";
import type { MidiData } from "@/lib/core/result";
import { deliveryPreviewColumns } from "./deliveries";
import { firstCoverThumbnails } from "./media";
import { toAsset, toDeliveryPreview, toEvent, toOutputs, toTask, toTrack, type Page, type Task, type TaskDetail } from "./dto";

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

/** Newest first, keyset-paginated on the insertion id (stable under concurrent inserts). */
export async function listTasks(filter: TaskFilter): Promise<Page<TaskListItem>> {
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
  const rows = await getDb()
    .select()
    .from(tasks)
    .where(and(...where))
    .orderBy(desc(tasks.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  const taskIds = items.map((t) => t.taskId);
  const [progress, thumbnails] = await Promise.all([assetProgress(taskIds), firstCoverThumbnails(taskIds)]);
  return {
    items: items.map((row) => ({
      ...toTask(row),
      ...(progress.get(row.taskId) ?? NO_ASSETS),
      thumbnailUrl: thumbnails.get(row.taskId) ?? null,
    })),
    nextCursor: more ? String(items.at(-1)!.id) : null,
  };
}

/** Asset progress of a page of tasks in one grouped query (served by the task_id/position index). */
async function assetProgress(taskIds: string[]): Promise<Map<string, AssetProgress>> {
  if (taskIds.length === 0) return new Map();
  const n = (condition: SQL) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`.mapWith(Number);
  const rows = await getDb()
    .select({
      taskId: assets.taskId,
      assetsTotal: count(),
      assetsStored: n(sql`${assets.status} = 'stored'`),
      assetsFailed: n(sql`${assets.status} = 'failed'`),
      assetsActive: n(sql`${assets.status} in ('pending', 'downloading')`),
      bytes: sql<number>`coalesce(sum(${assets.bytes}), 0)`.mapWith(Number),
      bytesReceived: sql<number>`coalesce(sum(${assets.bytesReceived}), 0)`.mapWith(Number),
    })
    .from(assets)
    .where(inArray(assets.taskId, taskIds))
    .groupBy(assets.taskId);
  return new Map(rows.map(({ taskId, ...progress }) => [taskId, progress]));
}

/** The newest deliveries and events a task's detail carries; the inbox filtered by task has every delivery. */
export const DETAIL_DELIVERIES = 10;
export const DETAIL_EVENTS = 100;

/** The children a task's detail lists at most (oldest first). */
export const DETAIL_CHILDREN = 200;

/** The task with its files, newest deliveries (previews), timeline, results and family; null when unknown. */
export async function getTaskDetail(taskId: string): Promise<TaskDetail | null> {
  const db = getDb();
  const task = await db.select().from(tasks).where(eq(tasks.taskId, taskId)).get();
  if (!task) return null;
  const [assetRows, deliveryRows, eventRows, trackRows, output, parent, children] = await Promise.all([
    db.select().from(assets).where(eq(assets.taskId, taskId)).orderBy(asc(assets.position)),
    db
      .select(deliveryPreviewColumns)
      .from(deliveries)
      .where(eq(deliveries.taskId, taskId))
      .orderBy(desc(deliveries.id))
      .limit(DETAIL_DELIVERIES),
    db.select().from(events).where(eq(events.taskId, taskId)).orderBy(desc(events.id)).limit(DETAIL_EVENTS),
    db.select().from(tracks).where(eq(tracks.taskId, taskId)).orderBy(asc(tracks.position), asc(tracks.id)),
    db.select({ lyrics: outputs.lyrics, midi: outputs.midi }).from(outputs).where(eq(outputs.taskId, taskId)).get(),
    parentOf(task),
    childrenOf(task),
  ]);
  return {
    task: toTask(task),
    assets: assetRows.map(toAsset),
    deliveries: deliveryRows.map(toDeliveryPreview),
    events: eventRows.map(toEvent),
    tracks: trackRows.map(toTrack),
    ...toOutputs(output),
    parent: parent ? toTask(parent) : null,
    children: children.map(toTask),
  };
}

/**
 * The task `task` was made from: the one its parentTaskId names (a cover's or
 * WAV's music task, or as told when tracking), else the music task with the
 * track its audioId names (a separation or video made from that track).
 */
async function parentOf(task: TaskRow): Promise<TaskRow | null> {
  const db = getDb();
  if (task.parentTaskId) return (await db.select().from(tasks).where(eq(tasks.taskId, task.parentTaskId)).get()) ?? null;
  if (!task.audioId) return null;
  const [row] = await db
    .select({ task: tasks })
    .from(tracks)
    .innerJoin(tasks, eq(tasks.taskId, tracks.taskId))
    .where(and(eq(tracks.trackId, task.audioId), ne(tracks.taskId, task.taskId)))
    .orderBy(asc(tasks.id))
    .limit(1);
  return row?.task ?? null;
}

/** The tasks made from `task`: those naming it as their parent, and those without one made from one of its tracks. */
async function childrenOf(task: TaskRow): Promise<TaskRow[]> {
  const ownTracks = getDb().select({ trackId: tracks.trackId }).from(tracks).where(eq(tracks.taskId, task.taskId));
  return getDb()
    .select()
    .from(tasks)
    .where(
      and(
        ne(tasks.taskId, task.taskId),
        or(eq(tasks.parentTaskId, task.taskId), and(isNull(tasks.parentTaskId), inArray(tasks.audioId, ownTracks))),
      ),
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
