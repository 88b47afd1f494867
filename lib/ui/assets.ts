// How pages name and group a task's files: download names, stem names, a
// track's own files. Pure: used by client components.
import type { StemRole } from "@/lib/core/enums";
import { isStemRole } from "@/lib/core/roles";
import { extensionFor } from "@/lib/files/sniff";
import type { TaskDetail } from "@/lib/ui/api-client";

export type Asset = TaskDetail["assets"][number];
export type Track = TaskDetail["tracks"][number];

/** The stored file's extension: from what it was found to be, else what its role usually is. */
export const extensionOf = (asset: Pick<Asset, "contentType" | "role">): string => extensionFor(asset.contentType, asset.role);

/**
 * The name a download is saved under: covers and WAVs by position (as they
 * always were), a track's files by its number, stems by name, the video by the task.
 */
export function downloadName(asset: Asset, trackNumber?: number): string {
  const ext = extensionOf(asset);
  if (asset.role === "track" || asset.role === "track-art") {
    const n = trackNumber ?? asset.position + 1;
    return `${asset.taskId}-track-${n}${asset.role === "track-art" ? "-art" : ""}.${ext}`;
  }
  if (isStemRole(asset.role)) return `${asset.taskId}-${asset.role}.${ext}`;
  if (asset.role === "video") return `${asset.taskId}.${ext}`;
  return `${asset.taskId}-${asset.position + 1}.${ext}`;
}

const STEM_NAMES: Record<StemRole, string> = {
  vocals: "Vocals",
  instrumental: "Instrumental",
  backing_vocals: "Backing vocals",
  drums: "Drums",
  bass: "Bass",
  guitar: "Guitar",
  keyboard: "Keyboard",
  percussion: "Percussion",
  strings: "Strings",
  synth: "Synth",
  fx: "FX",
  brass: "Brass",
  woodwinds: "Woodwinds",
  piano: "Piano",
  origin: "Original mix",
};

export const stemName = (role: StemRole) => STEM_NAMES[role];

/** The id of a track's item on its music task's page: tasks made from the track link to it. */
export const trackAnchor = (trackId: string) => `track-${trackId}`;

/** A track's MP3 and art among the task's files. */
export function trackFiles(assets: Asset[], trackId: string): { audio: Asset | null; art: Asset | null } {
  const own = assets.filter((a) => a.trackId === trackId);
  return { audio: own.find((a) => a.role === "track") ?? null, art: own.find((a) => a.role === "track-art") ?? null };
}

/** "electrifying, rock" → ["electrifying", "rock"]: the provider's tags, one by one. */
export function splitTags(tags: string | null): string[] {
  if (!tags) return [];
  return tags
    .split(/[,;\n]/)
    .map((t) => t.trim())
    .filter(Boolean);
}
