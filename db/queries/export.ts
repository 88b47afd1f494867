// Reads for exports (lib/export/): which files of a task have a stored copy,
// and where the tasks table ends when an export starts.
import "server-only";
import { and, asc, eq, isNotNull, max } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, tasks } from "@/db/schema";
import type { AssetRole, AssetType } from "@/lib/core/enums";

export type StoredFileRow = {
  id: number;
  type: AssetType;
  role: AssetRole;
  position: number;
  storagePath: string;
  sha256: string;
  storedAt: Date | null;
};

/** The task's files that have a stored copy (also while a re-download runs), by position. */
export async function storedFilesOfTask(taskId: string): Promise<StoredFileRow[]> {
  const rows = await getDb()
    .select({
      id: assets.id,
      type: assets.type,
      role: assets.role,
      position: assets.position,
      storagePath: assets.storagePath,
      sha256: assets.sha256,
      storedAt: assets.storedAt,
    })
    .from(assets)
    // A download sets both at once; the second condition only narrows the type.
    .where(and(eq(assets.taskId, taskId), isNotNull(assets.storagePath), isNotNull(assets.sha256)))
    .orderBy(asc(assets.position));
  return rows.filter((r): r is StoredFileRow => r.storagePath !== null && r.sha256 !== null);
}

/**
 * A keyset cursor just past the newest task: an export pages below it, so
 * tasks created while it runs stay out of all its passes (CSV and folders alike).
 */
export async function taskCursorBound(): Promise<number> {
  const row = await getDb()
    .select({ newest: max(tasks.id) })
    .from(tasks)
    .get();
  return (row?.newest ?? 0) + 1;
}
