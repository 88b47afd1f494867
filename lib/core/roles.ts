// What each file role is: its media type and the task kind it belongs to
// (whose name the storage folder takes). Pure, shared by server and pages.
import { STEM_ROLES, type AssetRole, type AssetType, type StemRole, type TaskKind } from "@/lib/core/enums";

export const isStemRole = (role: AssetRole): role is StemRole => (STEM_ROLES as readonly string[]).includes(role);

/** image for covers and track art, video for the video, audio for the rest. */
export function assetTypeOf(role: AssetRole): AssetType {
  if (role === "cover" || role === "track-art") return "image";
  return role === "video" ? "video" : "audio";
}

/** The kind of task whose files have this role. */
export function roleKind(role: AssetRole): TaskKind {
  if (role === "cover" || role === "wav" || role === "video") return role;
  if (role === "track" || role === "track-art") return "music";
  return "separation";
}
