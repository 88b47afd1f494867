// What a stored file gets beside it, from what the media tap (lib/media/tap.ts)
// learned while it downloaded: an image's thumbnail (made and stored here, on
// the main thread, where sharp runs), a WAV's waveform (recorded as it is).
import "server-only";
import type { Storage } from "@/lib/storage";
import type { MediaFindings } from "./tap";
import { storeThumbnail } from "./thumbnail";

/** `thumbnailFailedAt`: when a cover got no thumbnail (lib/media/serve.ts tries again only much later). */
export type MediaExtras = { thumbnailPath: string | null; thumbnailFailedAt: Date | null; waveform: string | null };

/** Once the file is stored under `storagePath`: its thumbnail (stored) and waveform. */
export async function storeMediaExtras(store: Storage, storagePath: string, findings: MediaFindings): Promise<MediaExtras> {
  if (findings.type === "none") return { thumbnailPath: null, thumbnailFailedAt: null, waveform: null };
  if (findings.type === "audio") return { thumbnailPath: null, thumbnailFailedAt: null, waveform: findings.waveform };
  const image = findings.image && Buffer.from(findings.image.buffer, findings.image.byteOffset, findings.image.byteLength);
  const thumbnailPath = image ? await storeThumbnail(store, storagePath, image) : null;
  return { thumbnailPath, thumbnailFailedAt: thumbnailPath ? null : new Date(), waveform: null };
}
