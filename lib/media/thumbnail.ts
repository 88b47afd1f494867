// Cover thumbnails: a small WebP made once per stored cover, kept in storage
// beside the file (`<kind>/<task>/<position>.thumb.webp`). A cover comes from
// outside, so its decoding is bounded: a JPEG with more scans than any real
// one is refused before sharp sees it (a progressive JPEG of thousands of
// scans costs sharp seconds per scan-set and its time limit cannot stop
// libjpeg mid-decode), the pixel limit caps the memory, and one thumbnail is
// made at a time per process with one libvips thread: sharp holds one slot of
// libuv's thread pool at most, the other slots stay free for the file system.
import "server-only";
import sharp from "sharp";
import type { Storage } from "@/lib/storage";
import { processSingleton } from "@/lib/core/registry";

/** Largest width of a thumbnail (the list shows them far smaller, phones at 2-3× density). */
export const THUMBNAIL_WIDTH = 320;
/** Tall images are capped here, so a thumbnail stays small whatever the shape. */
const THUMBNAIL_MAX_HEIGHT = 640;
/** Refuses decompression bombs: covers are about 1-2 k pixels a side; a progressive 4096² JPEG holds ~100 MB of coefficients. */
export const MAX_INPUT_PIXELS = 4096 * 4096;
/** Real progressive JPEGs have about 10 scans (mozjpeg's tuned ones up to ~20); every scan decodes the whole image again. */
export const MAX_JPEG_SCANS = 100;
/** sharp gives up on a thumbnail after this long (checked between pixel regions; the JPEG check above bounds decoding). */
const TIMEOUT_SECONDS = 10;

export const THUMBNAIL_CONTENT_TYPE = "image/webp";

// One libvips thread per image and no operation cache: thumbnails are one-offs, never worth memory kept.
sharp.concurrency(1);
sharp.cache(false);

/** The key of an asset's thumbnail, beside its file (`cover/t/0.png` → `cover/t/0.thumb.webp`). */
export function thumbnailKey(storagePath: string): string {
  return storagePath.replace(/\.[a-z0-9]+$/, "") + ".thumb.webp";
}

/** The number of scans (SOS markers) a JPEG can hold at most: every scan starts with the bytes FF DA, so this never counts too few. */
export function jpegScanBound(image: Buffer): number {
  let scans = 0;
  for (let i = image.indexOf(0xff); i !== -1 && i < image.length - 1; i = image.indexOf(0xff, i + 1)) {
    if (image[i + 1] === 0xda) scans++;
  }
  return scans;
}

const isJpeg = (image: Buffer) => image.length >= 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff;

/** Makes one thumbnail at a time per process: the next waits for the slot. */
const slot = processSingleton("thumbnail-slot", () => ({ tail: Promise.resolve() as Promise<unknown> }));

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = slot.tail.then(work, work);
  slot.tail = run.catch(() => {});
  return run;
}

/** A WebP at most THUMBNAIL_WIDTH wide of an image's bytes (PNG, JPEG, WebP); rejects when it cannot or must not be read. */
export async function makeThumbnail(image: Buffer): Promise<Buffer> {
  if (isJpeg(image)) {
    const scans = jpegScanBound(image);
    if (scans > MAX_JPEG_SCANS) throw new Error(`a JPEG of ${scans} scans (more than ${MAX_JPEG_SCANS}) is not decoded`);
  }
  return oneAtATime(() =>
    sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .rotate() // EXIF orientation, as browsers show the full image
      .resize({ width: THUMBNAIL_WIDTH, height: THUMBNAIL_MAX_HEIGHT, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer(),
  );
}

/**
 * Makes the thumbnail of a stored cover and stores it beside it; answers its
 * key, or null (logged) when that failed. A failure leaves no thumbnail in
 * storage, not even an older file's under the same key.
 */
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
    console.error(`[thumbnails] ${storagePath}: no thumbnail:`, error instanceof Error ? error.message : error);
    await store.remove(key).catch(() => {});
    return null;
  }
}
