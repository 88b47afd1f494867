// Thumbnails of stored files (lib/media): the lazy thumbnail of a cover stored
// before thumbnails existed. (The list reads each task's first cover with its page: tasks.ts.)
import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, write } from "@/db/client";
import { assets } from "@/db/schema";

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
