// Thumbnails and waveforms of stored files (lib/media): reads for the list and
// the media routes, and the lazy thumbnail of a cover stored before thumbnails existed.
import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb, write } from "@/db/client";
import { assets } from "@/db/schema";
import { thumbnailUrl } from "./dto";

/** Per task: the thumbnail URL of its first stored cover (tasks without one are absent). */
export async function firstCoverThumbnails(taskIds: string[]): Promise<Map<string, string>> {
  if (taskIds.length === 0) return new Map();
  const rows = await getDb()
    .select({ id: assets.id, taskId: assets.taskId, sha256: assets.sha256 })
    .from(assets)
    .where(and(inArray(assets.taskId, taskIds), eq(assets.type, "image"), isNotNull(assets.storagePath)))
    .orderBy(asc(assets.taskId), asc(assets.position));
  const first = new Map<string, string>();
  for (const row of rows) if (!first.has(row.taskId)) first.set(row.taskId, thumbnailUrl(row.id, row.sha256));
  return first;
}

/**
 * Records a thumbnail made later for a stored cover; only if the cover is still
 * the same file (a re-download may have replaced it meanwhile). Answers whether it did.
 */
export async function setThumbnailPath(asset: StoredCover, thumbnailPath: string): Promise<boolean> {
  return setThumbnail(asset, { thumbnailPath, thumbnailFailedAt: null });
}

/** Records that a stored cover's thumbnail could not be made (not tried again for a long while); only if the cover is still the same file. */
export async function setThumbnailFailed(asset: StoredCover, at: Date): Promise<boolean> {
  return setThumbnail(asset, { thumbnailPath: null, thumbnailFailedAt: at });
}

type StoredCover = { id: number; storagePath: string; sha256: string | null };

async function setThumbnail(
  asset: StoredCover,
  values: { thumbnailPath: string | null; thumbnailFailedAt: Date | null },
): Promise<boolean> {
  const same = asset.sha256 === null ? undefined : eq(assets.sha256, asset.sha256);
  const result = await write(
    getDb()
      .update(assets)
      .set(values)
      .where(and(eq(assets.id, asset.id), eq(assets.storagePath, asset.storagePath), same)),
  );
  return result.changes > 0;
}
