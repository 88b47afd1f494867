import "server-only";
import { count, eq, sum } from "drizzle-orm";
import { getDb, read, readBatch, type ReadRows } from "@/db/client";
import { assets, tasks } from "@/db/schema";
import { TASK_KINDS, TASK_STATUSES, type TaskKind, type TaskStatus } from "@/lib/core/enums";

export type TaskStats = {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byKind: Record<TaskKind, number>;
  /** Counts per kind × status, e.g. counts.cover.failed. */
  counts: Record<TaskKind, Record<TaskStatus, number>>;
  storedBytes: number;
  storedFiles: number;
};

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The reads behind the stats (for a read batch): task counts by kind and status (one scan of their index), and storage used. */
export function taskStatsReads() {
  const db = getDb();
  return [
    read(db.select({ kind: tasks.kind, status: tasks.status, n: count() }).from(tasks).groupBy(tasks.kind, tasks.status)),
    read(
      db
        .select({ bytes: sum(assets.bytes).mapWith(Number), files: count() })
        .from(assets)
        .where(eq(assets.status, "stored")),
    ),
  ] as const;
}

export function toTaskStats(...[rows, storedRows]: ReadRows<ReturnType<typeof taskStatsReads>>): TaskStats {
  const stored = storedRows[0];
  const counts = Object.fromEntries(TASK_KINDS.map((k) => [k, zeros(TASK_STATUSES)])) as TaskStats["counts"];
  const byStatus = zeros(TASK_STATUSES);
  const byKind = zeros(TASK_KINDS);
  let total = 0;
  for (const { kind, status, n } of rows) {
    counts[kind][status] = n;
    byStatus[status] += n;
    byKind[kind] += n;
    total += n;
  }
  return { total, byStatus, byKind, counts, storedBytes: stored?.bytes ?? 0, storedFiles: stored?.files ?? 0 };
}

/** Task counts by status and kind, and storage used: one read batch. */
export async function getTaskStats(): Promise<TaskStats> {
  return toTaskStats(...(await readBatch(taskStatsReads())));
}
