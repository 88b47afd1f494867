// The timeline's wording, in one place: every event type a task's timeline
// holds, how the pages name and colour it, and the sentence stored with it.
// No I/O and no server imports: the task page (a client component) uses it too.
import type { AssetRole, TaskKind } from "@/lib/core/enums";
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

const KIND_NAMES: Record<TaskKind, string> = {
  cover: "cover",
  wav: "WAV",
  music: "music",
  lyrics: "lyrics",
  separation: "separation",
  midi: "MIDI",
  video: "video",
  other: "other",
};

export const kindName = (kind: TaskKind) => KIND_NAMES[kind];

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 images", "the WAV file", "2 tracks", "3 instruments (120 notes)": what a success brought. */
function describeOutcome(result: ProviderResult): string {
  switch (result.kind) {
    case "cover":
      return count(result.files.length, "image");
    case "wav":
      return "the WAV file";
    case "music":
      return count(result.tracks?.length ?? 0, "track");
    case "lyrics":
      return count(result.lyrics?.length ?? 0, "lyrics variant");
    case "separation":
      return count(result.files.length, "stem");
    case "midi": {
      const instruments = result.midi?.instruments ?? [];
      const notes = instruments.reduce((n, i) => n + i.notes.length, 0);
      return `${count(instruments.length, "instrument")} (${count(notes, "note")})`;
    }
    case "video":
      return "the video";
    case "other":
      return "a body of no known kind, kept as received";
  }
}

/** "succeeded with 2 images", "failed (code 501): …", "first track ready (1 track)", "still pending at the provider". */
function describeResult(result: ProviderResult): string {
  if (result.state === "pending") {
    if (result.stage === "text") return "text ready (stage text)";
    if (result.stage === "first") return `first track ready (stage first, ${count(result.tracks?.length ?? 0, "track")})`;
    return "still pending at the provider";
  }
  if (result.state === "succeeded") return `succeeded with ${describeOutcome(result)}`;
  const code = result.code === null ? "" : ` (code ${result.code})`;
  return `failed${code}${result.message ? `: ${result.message}` : ""}`;
}

/** Why a result changed nothing: the task already succeeded, said the same, or is of a known kind and this body of none. */
export type Ignored = "already_succeeded" | "already_known" | "other_kind";

/** What a callback, replay or poll said, and why it changed nothing when it did not. */
export function resultText(result: ProviderResult, ignored: Ignored | null): string {
  if (ignored === "other_kind") return "a body of no known kind; kept in the inbox, the task is unchanged";
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
      return s.kind === "other"
        ? `Tracking task ${s.taskId} of no known kind: its callbacks are kept as they come`
        : `Tracking ${kindName(s.kind)} task ${s.taskId}: its result is polled from the provider`;
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

type AssetRef = { role: AssetRole; position: number; trackId: string | null };

/** "image 2", "the WAV file", "the MP3 of track 8551…", "the drums stem": how the timeline names one file. */
function assetLabel(asset: AssetRef): string {
  switch (asset.role) {
    case "cover":
      return `image ${asset.position + 1}`;
    case "wav":
      return "the WAV file";
    case "track":
      return `the MP3 of track ${asset.trackId ?? asset.position + 1}`;
    case "track-art":
      return `the art of track ${asset.trackId ?? asset.position + 1}`;
    case "video":
      return "the video";
    default:
      return `the ${asset.role.replaceAll("_", " ")} stem`;
  }
}

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
