// Cover thumbnails: a small WebP made once per stored cover, kept in storage
// beside the file (`<kind>/<task>/<position>.thumb.webp`). sharp does the work
// on libuv's thread pool, so the event loop is never held by decoding.
import "server-only";
import sharp from "sharp";
import type { Storage } from "@/lib/storage";

/** Largest width of a thumbnail (the list shows them far smaller, phones at 2-3× density). */
export const THUMBNAIL_WIDTH = 320;
/** Tall images are capped here, so a thumbnail stays small whatever the shape. */
const THUMBNAIL_MAX_HEIGHT = 640;
/** Covers larger than this are not read for a thumbnail (covers are a few hundred KiB). */
export const THUMBNAIL_SOURCE_MAX_BYTES = 32 * 1024 * 1024;
/** Refuses decompression bombs: a small file claiming huge dimensions. */
const MAX_INPUT_PIXELS = 50_000_000;

export const THUMBNAIL_CONTENT_TYPE = "image/webp";

/** The key of an asset's thumbnail, beside its file (`cover/t/0.png` → `cover/t/0.thumb.webp`). */
export function thumbnailKey(storagePath: string): string {
  return storagePath.replace(/\.[a-z0-9]+$/, "") + ".thumb.webp";
}

/** A WebP at most THUMBNAIL_WIDTH wide of an image's bytes (PNG, JPEG, WebP); rejects when sharp cannot read it. */
export async function makeThumbnail(image: Buffer): Promise<Buffer> {
  return sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate() // EXIF orientation, as browsers show the full image
    .resize({ width: THUMBNAIL_WIDTH, height: THUMBNAIL_MAX_HEIGHT, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 78 })
    .toBuffer();
}

/** Makes the thumbnail of a stored cover and stores it beside it; answers its key, or null (logged) when that failed. */
export async function storeThumbnail(store: Storage, storagePath: string, image: Buffer): Promise<string | null> {
  const key = thumbnailKey(storagePath);
  try {
    const thumbnail = await makeThumbnail(image);
    const upload = await store.createUpload(key, THUMBNAIL_CONTENT_TYPE);
    try {
      await upload.write(thumbnail);
      await upload.finish();
    } catch (error) {
      await upload.abort().catch(() => {});
      throw error;
    }
    return key;
  } catch (error) {
    console.error(`[thumbnails] ${storagePath}:`, error instanceof Error ? error.message : error);
    return null;
  }
}
