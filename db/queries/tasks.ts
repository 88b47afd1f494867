import "server-only";
import { and, asc, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, deliveries, events, tasks, type TaskKind, type TaskStatus } from "@/db/schema";
import { toAsset, toDelivery, toEvent, toTask, type Page, type Task, type TaskDetail } from "./dto";

export type TaskFilter = { kind?: TaskKind; status?: TaskStatus; q?: string; cursor?: number; limit: number };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated on the insertion id (stable under concurrent inserts). */
export async function listTasks(filter: TaskFilter): Promise<Page<Task>> {
  const where: SQL[] = [];
  if (filter.kind) where.push(eq(tasks.kind, filter.kind));
  if (filter.status) where.push(eq(tasks.status, filter.status));
  if (filter.cursor !== undefined) where.push(lt(tasks.id, filter.cursor));
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    where.push(or(like(tasks.taskId, pattern), like(tasks.parentTaskId, pattern))!);
  }
  const rows = getDb()
    .select()
    .from(tasks)
    .where(and(...where))
    .orderBy(desc(tasks.id))
    .limit(filter.limit + 1)
    .all();
  const items = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  return { items: items.map(toTask), nextCursor: more ? String(items.at(-1)!.id) : null };
}

/** The task with its files, deliveries and timeline; null when unknown. */
export async function getTaskDetail(taskId: string): Promise<TaskDetail | null> {
  const db = getDb();
  const task = db.select().from(tasks).where(eq(tasks.taskId, taskId)).get();
  if (!task) return null;
  return {
    task: toTask(task),
    assets: db.select().from(assets).where(eq(assets.taskId, taskId)).orderBy(asc(assets.position)).all().map(toAsset),
    deliveries: db
      .select()
      .from(deliveries)
      .where(eq(deliveries.taskId, taskId))
      .orderBy(desc(deliveries.id))
      .limit(100)
      .all()
      .map(toDelivery),
    events: db.select().from(events).where(eq(events.taskId, taskId)).orderBy(desc(events.id)).limit(200).all().map(toEvent),
  };
}
