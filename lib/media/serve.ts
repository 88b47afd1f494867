// GET /api/assets/{id}/thumbnail and /waveform. Thumbnails are served through
// the app from either storage (a few KiB; a presigned redirect could not be
// cached for good), cacheable for a year: their URL carries the cover's
// sha256 (db/queries/dto.ts), so a re-download changes it. A cover stored
// before thumbnails existed gets its thumbnail here, on first request; one
// whose thumbnail failed is tried again only a day later (lib/tasks/rules.ts),
// never on every request.
import "server-only";
import { getAssetRow } from "@/db/queries/assets";
import { setThumbnailFailed, setThumbnailPath } from "@/db/queries/media";
import type { AssetRow } from "@/db/schema";
import { env } from "@/lib/core/env";
import { AppError, notFound } from "@/lib/core/errors";
import { processSingleton } from "@/lib/core/registry";
import { storage, type Storage } from "@/lib/storage";
import { decideAsset, thumbnailRetryDue } from "@/lib/core/rules";
import { THUMBNAIL_SOURCE_MAX_BYTES } from "./tap";
import { storeThumbnail, THUMBNAIL_CONTENT_TYPE } from "./thumbnail";

const noThumbnail = (id: number) =>
  new AppError(404, "no_thumbnail", `Asset ${id} has no thumbnail (not a stored cover, or not a readable image).`);

export async function serveThumbnail(request: Request, assetId: number): Promise<Response> {
  const asset = await getAssetRow(assetId);
  if (!asset) throw notFound(`No asset with id ${assetId}.`);
  if (asset.type !== "image" || !asset.storagePath) throw noThumbnail(assetId);
  const store = storage();
  const key =
    asset.thumbnailPath ??
    (thumbnailRetryDue(asset.thumbnailFailedAt, new Date())
      ? await backfillThumbnail(store, { ...asset, storagePath: asset.storagePath })
      : null);
  const thumbnail = key ? await readObject(store, key, Infinity) : null;
  if (!thumbnail) throw noThumbnail(assetId);

  const etag = `"thumb-${asset.sha256 ?? asset.storedAt?.getTime() ?? 0}"`;
  const current = new URL(request.url).searchParams.get("v") === (asset.sha256 ?? "0").slice(0, 16);
  const headers = new Headers({
    "content-type": THUMBNAIL_CONTENT_TYPE,
    etag,
    // Forever only under the URL of this very file; with a login, no shared cache may keep it.
    "cache-control": current ? `${env().DASHBOARD_PASSWORD ? "private" : "public"}, max-age=31536000, immutable` : "private, no-cache",
    "x-content-type-options": "nosniff",
  });
  if (
    request.headers
      .get("if-none-match")
      ?.split(",")
      .some((t) => t.trim().replace(/^W\//, "") === etag)
  ) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(thumbnail.length));
  return new Response(new Uint8Array(thumbnail), { status: 200, headers });
}

export async function serveWaveform(assetId: number): Promise<Response> {
  const asset = await getAssetRow(assetId);
  if (!asset) throw notFound(`No asset with id ${assetId}.`);
  if (!asset.waveform) {
    throw new AppError(404, "no_waveform", `Asset ${assetId} has no waveform (not a stored WAV, or one whose samples could not be read).`);
  }
  return new Response(asset.waveform, { headers: { "content-type": "application/json", "cache-control": "private, no-cache" } });
}

const backfills = processSingleton("thumbnail-backfills", () => ({ running: new Map<number, Promise<string | null>>() }));

/**
 * Makes and records the thumbnail of a cover stored without one, or records
 * that it could not be made; one run per asset at a time (and one thumbnail at
 * a time per process, lib/media/thumbnail.ts).
 */
function backfillThumbnail(store: Storage, asset: Pick<AssetRow, "id" | "sha256"> & { storagePath: string }): Promise<string | null> {
  const running = backfills.running.get(asset.id);
  if (running) return running;
  const run = (async () => {
    try {
      const image = await readObject(store, asset.storagePath, THUMBNAIL_SOURCE_MAX_BYTES);
      const key = image ? await storeThumbnail(store, asset.storagePath, image) : null;
      // Served even if recording it fails: the next request makes it again.
      const recorded = await (key ? setThumbnailPath(asset, key) : setThumbnailFailed(asset, new Date())).catch((error) => {
        console.error(`[thumbnails] asset ${asset.id}:`, error);
        return true;
      });
      // The cover changed meanwhile (re-downloaded, removed, deleted): keep no thumbnail its row does not name.
      if (key && !recorded) await discardUnnamed(store, asset.id, key);
      return recorded ? key : null;
    } finally {
      backfills.running.delete(asset.id);
    }
  })();
  backfills.running.set(asset.id, run);
  return run;
}

/** Deletes a thumbnail made for a cover that changed meanwhile, unless its row names that key now. */
async function discardUnnamed(store: Storage, assetId: number, key: string): Promise<void> {
  const row = await getAssetRow(assetId);
  const { remove } = decideAsset(row ?? undefined, { via: "lost", wrote: [key] }, new Date());
  await Promise.all(remove.map((k) => store.remove(k).catch((error) => console.error(`[thumbnails] removing ${k} failed:`, error))));
}

/** A stored object's bytes, or null when it is missing or larger than `maxBytes`. */
async function readObject(store: Storage, key: string, maxBytes: number): Promise<Buffer | null> {
  const object = await store.open(key);
  if (!object) return null;
  if (object.size > maxBytes) {
    await object.close();
    return null;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of object.read()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
