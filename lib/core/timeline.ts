// The timeline's wording, in one place: every event type a task's timeline
// holds, how the pages name and colour it, and the sentence stored with it.
// No I/O and no server imports: the task page (a client component) uses it too.
import type { AssetType, TaskKind } from "@/lib/core/enums";
import type { ProviderResult } from "@/lib/core/result";

export type EventType =
  | "submitted"
  | "callback"
  | "replay"
  | "poll"
  | "poll_failed"
  | "poll_gave_up"
  | "download_requested"
  | "download_started"
  | "download_stored"
  | "download_failed"
  | "file_removed";

/** One line to append to a task's timeline. */
export type TimelineEntry = { type: EventType; detail: string };

export type EventTone = "failure" | "stored" | "download" | "poll" | "other";

const EVENTS: Record<EventType, { label: string; tone: EventTone }> = {
  submitted: { label: "submitted", tone: "other" },
  callback: { label: "callback", tone: "other" },
  replay: { label: "replay", tone: "other" },
  poll: { label: "poll", tone: "poll" },
  poll_failed: { label: "poll failed", tone: "failure" },
  poll_gave_up: { label: "poll gave up", tone: "other" },
  download_requested: { label: "download requested", tone: "download" },
  download_started: { label: "download started", tone: "download" },
  download_stored: { label: "download stored", tone: "stored" },
  download_failed: { label: "download failed", tone: "failure" },
  file_removed: { label: "file removed", tone: "other" },
};

/** How the pages show an event type; a type this version does not know is shown by its own words. */
export function eventStyle(type: string): { label: string; tone: EventTone } {
  return Object.hasOwn(EVENTS, type) ? EVENTS[type as EventType] : { label: type.replaceAll("_", " "), tone: "other" };
}

export const kindName = (kind: TaskKind) => (kind === "cover" ? "cover" : "WAV");

/** "succeeded with 2 images", "failed (code 501): …", "still pending at the provider". */
function describeResult(result: ProviderResult): string {
  if (result.state === "pending") return "still pending at the provider";
  if (result.state === "succeeded") {
    const files = result.kind === "cover" ? `${result.urls.length} image${result.urls.length === 1 ? "" : "s"}` : "the WAV file";
    return `succeeded with ${files}`;
  }
  const code = result.code === null ? "" : ` (code ${result.code})`;
  return `failed${code}${result.message ? `: ${result.message}` : ""}`;
}

/** What a callback, replay or poll said, and why it changed nothing when it did not. */
export function resultText(result: ProviderResult, ignored: "already_succeeded" | "already_known" | null): string {
  const summary = describeResult(result);
  if (ignored === "already_succeeded") return `${summary}; ignored, the task already succeeded`;
  if (ignored === "already_known") return `${summary}; already known`;
  return summary;
}

/** Why a task was submitted or tracked. */
export type Submission =
  | { action: "track"; kind: TaskKind; taskId: string }
  | { action: "cover"; musicTaskId: string; existed: { message: string } | null }
  | { action: "wav"; musicTaskId: string; audioId: string; existed: { message: string } | null };

export function submittedText(s: Submission): string {
  switch (s.action) {
    case "track":
      return `Tracking ${kindName(s.kind)} task ${s.taskId}: its result is polled from the provider`;
    case "cover":
      return s.existed
        ? `The provider already had a cover for music task ${s.musicTaskId} ("${s.existed.message}"): tracking that task`
        : `Cover requested for music task ${s.musicTaskId}`;
    case "wav":
      return s.existed
        ? `The provider already had a WAV of track ${s.audioId} ("${s.existed.message}"): tracking that task`
        : `WAV conversion requested for track ${s.audioId} of music task ${s.musicTaskId}`;
  }
}

export const pollFailedText = (reason: string) => `Poll failed: ${reason}`;

export const pollGaveUpText = (hours: number) =>
  `No final result after ${hours} hours: automatic polling stopped. Use Poll now to ask again.`;

type AssetRef = { type: AssetType; position: number };

/** "image 2" / "the WAV file": how the timeline names one file. */
const assetLabel = (asset: AssetRef) => (asset.type === "image" ? `image ${asset.position + 1}` : "the WAV file");

export const downloadStartedText = (asset: AssetRef, attempt: number) =>
  `downloading ${assetLabel(asset)}${attempt > 1 ? ` (attempt ${attempt})` : ""}`;

export function downloadStoredText(asset: AssetRef, file: { bytes: number; contentType: string; sha256: string }): string {
  const size = file.bytes >= 1_048_576 ? `${(file.bytes / 1_048_576).toFixed(1)} MiB` : `${file.bytes} bytes`;
  return `stored ${assetLabel(asset)} (${size}, ${file.contentType}, sha256 ${file.sha256.slice(0, 12)}…)`;
}

/** `then`: retried after that many ms, the earlier stored copy kept, or nothing more (final). */
export function downloadFailedText(asset: AssetRef, error: string, then: { retryInMs: number } | "kept" | null): string {
  const next = then === null ? "" : then === "kept" ? "; keeping the stored copy" : `; retrying in ${formatDelay(then.retryInMs)}`;
  return `${assetLabel(asset)}: ${error}${next}`;
}

export const downloadRequestedText = (files: number) => `re-download of ${files} file${files === 1 ? "" : "s"} requested`;

function formatDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

export const fileRemovedText = (asset: AssetRef, days: number) =>
  `${assetLabel(asset)}: stored copy removed by retention (FILE_RETENTION_DAYS=${days}); Re-download fetches it again while the provider has it`;
