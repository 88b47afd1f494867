// What the download pipeline learns about a file on the way through, without
// reading it again: a WAV's waveform (peaks measured chunk by chunk) and an
// image's bytes (kept, covers and track art being small, for its thumbnail).
// Neither can fail a download: a file they cannot use (an MP3, a video) simply
// gets no waveform or thumbnail.
import "server-only";
import type { AssetRole } from "@/lib/core/enums";
import { assetTypeOf } from "@/lib/core/roles";
import type { Storage } from "@/lib/storage";
import { storeThumbnail, THUMBNAIL_SOURCE_MAX_BYTES } from "./thumbnail";
import { WavPeaks } from "./wav-peaks";

/** `thumbnailFailedAt`: when a cover got no thumbnail (lib/media/serve.ts tries again only much later). */
export type MediaExtras = { thumbnailPath: string | null; thumbnailFailedAt: Date | null; waveform: string | null };

export type MediaTap = {
  /** Sees every chunk of the file, in order, as it arrives. */
  push(chunk: Buffer): void;
  /** Once the file is stored under `storagePath`: its thumbnail (stored) and waveform (JSON). */
  finish(store: Storage, storagePath: string): Promise<MediaExtras>;
};

/** `WAVEFORM=0` turns waveforms off, for the download benchmark's comparison only. */
const waveformsOn = () => process.env.WAVEFORM !== "0";

const NOTHING: MediaExtras = { thumbnailPath: null, thumbnailFailedAt: null, waveform: null };

export function mediaTap(role: AssetRole): MediaTap {
  const type = assetTypeOf(role);
  if (type === "video" || role === "track") return { push: () => {}, finish: async () => NOTHING };
  if (type === "audio") {
    const peaks = waveformsOn() ? new WavPeaks() : null;
    return {
      push: (chunk) => peaks?.push(chunk),
      finish: async () => {
        const waveform = peaks?.result();
        return { thumbnailPath: null, thumbnailFailedAt: null, waveform: waveform ? JSON.stringify(waveform) : null };
      },
    };
  }
  let chunks: Buffer[] | null = [];
  let bytes = 0;
  return {
    push(chunk) {
      if (!chunks) return;
      bytes += chunk.length;
      // An oversized cover gets no thumbnail rather than holding its bytes in memory.
      if (bytes > THUMBNAIL_SOURCE_MAX_BYTES) chunks = null;
      else chunks.push(chunk);
    },
    finish: async (store, storagePath) => {
      const thumbnailPath = chunks ? await storeThumbnail(store, storagePath, Buffer.concat(chunks)) : null;
      return { thumbnailPath, thumbnailFailedAt: thumbnailPath ? null : new Date(), waveform: null };
    },
  };
}
