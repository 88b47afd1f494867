// What the download pipeline learns about a file on the way through, without
// reading it again: a WAV's waveform (peaks measured chunk by chunk) and an
// image's bytes (kept, covers and track art being small, for its thumbnail).
// The tap runs where the bytes are, on the transfer thread
// (lib/files/transfer.ts), and hands back plain data; lib/media/extras.ts
// stores what follows from it. Neither can fail a download: a file they cannot
// use simply gets no waveform or thumbnail, and an MP3 track or a video gets
// neither.
import "server-only";
import type { AssetRole } from "@/lib/core/enums";
import { assetTypeOf } from "@/lib/core/roles";
import { WavPeaks } from "./wav-peaks";

/** Covers larger than this are not read for a thumbnail (covers are a few hundred KiB). */
export const THUMBNAIL_SOURCE_MAX_BYTES = 32 * 1024 * 1024;

/** What the tap learned, as plain data (it crosses threads): a WAV's waveform as JSON, an image's bytes (null when too large). */
export type MediaFindings = { type: "audio"; waveform: string | null } | { type: "image"; image: Uint8Array | null } | { type: "none" };

export type MediaTap = {
  /** Sees every chunk of the file, in order, as it arrives. */
  push(chunk: Buffer): void;
  /** Once the whole file went by. */
  findings(): MediaFindings;
};

/** `WAVEFORM=0` turns waveforms off, for the download benchmark's comparison only. */
const waveformsOn = () => process.env.WAVEFORM !== "0";

export function mediaTap(role: AssetRole): MediaTap {
  const type = assetTypeOf(role);
  if (type === "video" || role === "track") return { push: () => {}, findings: () => ({ type: "none" }) };
  if (type === "audio") {
    const peaks = waveformsOn() ? new WavPeaks() : null;
    return {
      push: (chunk) => peaks?.push(chunk),
      findings: () => {
        const waveform = peaks?.result();
        return { type, waveform: waveform ? JSON.stringify(waveform) : null };
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
    findings: () => ({ type, image: chunks ? Buffer.concat(chunks) : null }),
  };
}
