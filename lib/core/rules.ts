// The task and file rules, in one place and without I/O: which kind a callback
// is, what a callback, replay, poll or submission does to a task (its state,
// music stage, files, tracks, lyrics and notes, poll schedule and timeline),
// whether a due poll is sent or given up, what becomes of a file after each
// download attempt, and which files are at risk. db/queries/* read the row,
// ask decide() or decideAsset() and write what it answers in one atomic write.
//   Tasks: pending → succeeded | failed;  failed → succeeded;  succeeded is final;
//     a task keeps its kind (one first seen as `other` takes the kind it turns
//     out to be); a final state stops polling.
//   Music: stage text → first → complete, never back; `first` records its
//     tracks and their files at once, `complete` succeeds.
//   Files: pending → downloading → stored | pending (a retry) | failed;
//     stored → removed (retention);  anything but a live download → pending (re-download).
import type { AssetRole, AssetStatus, AssetType, MusicStage, TaskKind, TaskSource, TaskStatus } from "@/lib/core/enums";
import type { LyricsVariant, MidiData, ProviderResult, ResultFile, Track } from "@/lib/core/result";
import { assetTypeOf } from "@/lib/core/roles";
import {
  downloadFailedText,
  downloadStoredText,
  kindName,
  pollFailedText,
  pollGaveUpText,
  resultText,
  submittedText,
  type Submission,
  type TimelineEntry,
} from "@/lib/core/timeline";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * How long the provider keeps a task's files (suno-api-kinds.md §0): covers,
 * stems and MIDI records about 14 days, music, WAV files and videos about 15.
 */
export const REMOTE_RETENTION_MS: Record<TaskKind, number> = {
  cover: 14 * DAY_MS,
  wav: 15 * DAY_MS,
  music: 15 * DAY_MS,
  lyrics: 14 * DAY_MS,
  separation: 14 * DAY_MS,
  midi: 14 * DAY_MS,
  video: 15 * DAY_MS,
  other: 14 * DAY_MS,
};
/** Automatic polling stops this long after the task was first seen without a final state. */
export const GIVE_UP_AFTER_MS = 48 * HOUR_MS;
/** Polls that failed (unknown task, provider trouble) are repeated less often. */
const FAILED_POLL_FACTOR = 4;

/**
 * Tells a callback's kind (http-api.md "Every kind of task the provider calls
 * back"): the path's when it names one, else the payload's; `other` for a body
 * that names a task but no kind known here; null when it names no task either.
 */
export function callbackKind(pathKind: TaskKind | null, payload: unknown): TaskKind | null {
  if (pathKind) return pathKind;
  return payloadKind(payload) ?? (namedIds(payload).length > 0 ? "other" : null);
}

function payloadKind(payload: unknown): TaskKind | null {
  if (!isRecord(payload)) return null;
  const data = isRecord(payload.data) ? payload.data : null;
  // MIDI names its task at the top level; its failure carries no data at all.
  if (typeof payload.task_id === "string" && (!data || "state" in data || "instruments" in data)) return "midi";
  if (!data) return null;
  if ("vocal_removal_info" in data || "vocal_separation_info" in data) return "separation";
  if ("video_url" in data) return "video";
  if ("callbackType" in data) {
    const items = Array.isArray(data.data) ? data.data.filter(isRecord) : [];
    if (items.some((item) => "text" in item)) return "lyrics";
    if (items.some((item) => "audio_url" in item || "stream_audio_url" in item || "source_audio_url" in item)) return "music";
    // No items (text, error): the id's spelling tells them apart; a music error is no failed WAV.
    if ("task_id" in data) return "music";
    if ("taskId" in data) return "lyrics";
    return null;
  }
  if ("audioWavUrl" in data || "audio_wav_url" in data) return "wav";
  if ("images" in data) return "cover";
  // A failure may carry its task id alone: data.taskId (cover) or data.task_id (WAV).
  const keys = Object.keys(data);
  if (keys.length === 1 && keys[0] === "taskId") return "cover";
  if (keys.length === 1 && keys[0] === "task_id") return "wav";
  return null;
}

/** Where a callback may name its task: data.taskId, data.task_id, or (MIDI) the top-level task_id; taskId there too. */
const TASK_ID_KEYS = [
  ["data", "taskId"],
  ["data", "task_id"],
  [null, "task_id"],
  [null, "taskId"],
] as const;

/** The task ids a payload names (trimmed), with where: one entry per spelling present. */
function namedIds(payload: unknown): { where: string; id: string }[] {
  if (!isRecord(payload)) return [];
  const data = isRecord(payload.data) ? payload.data : null;
  return TASK_ID_KEYS.flatMap(([parent, key]) => {
    const value = parent ? data?.[key] : payload[key];
    return typeof value === "string" ? [{ where: parent ? `${parent}.${key}` : key, id: value.trim() }] : [];
  });
}

export type NamedTaskId = { ok: true; taskId: string | null } | { ok: false; problem: string };

/**
 * The task a callback names, read as the parsers apply it: data.taskId,
 * data.task_id or the top-level task_id (MIDI), trimmed. A body naming two
 * different tasks under two spellings names none: it is refused, so that a
 * signature checked against one id can never apply to another (kie.ai signs
 * only the task id).
 */
export function namedTaskId(payload: unknown): NamedTaskId {
  const named = namedIds(payload);
  const other = named.find((n) => n.id !== named[0]!.id);
  if (other) {
    const quoted = (id: string) => JSON.stringify(id.slice(0, 128));
    const first = named[0]!;
    return { ok: false, problem: `${first.where} (${quoted(first.id)}) and ${other.where} (${quoted(other.id)}) name different tasks` };
  }
  return { ok: true, taskId: named[0]?.id ?? null };
}

/** A file a task already has, as the rules tell files apart. */
export type AssetKey = { position: number; role: AssetRole; trackId: string | null };

/** What the rules read of a known task. */
export type TaskState = {
  kind: TaskKind;
  status: TaskStatus;
  stage: MusicStage | null;
  code: number | null;
  message: string | null;
  createdAt: Date;
  nextPollAt: Date | null;
  /** The files it already has. */
  assets: readonly AssetKey[];
};

/** What happened to the task. */
export type Incoming =
  | { via: "callback" | "replay"; result: ProviderResult }
  | { via: "poll"; result: ProviderResult; pollIntervalMs: number }
  | { via: "poll_failed"; reason: string; pollIntervalMs: number }
  /**
   * A poll is due: by the schedule (`automatic`, given up once pollingExpired),
   * or asked for by a submission that tracks the task.
   */
  | { via: "poll_due"; automatic: boolean }
  | { via: "submit"; taskId: string; kind: TaskKind; submission: Submission; pollAfterMs: number };

export type StateChange = {
  status: TaskStatus;
  code: number | null;
  message: string | null;
  completedAt: Date | null;
  filesExpireAt: Date | null;
  lastSource: TaskSource;
};

export type NewAsset = { type: AssetType; role: AssetRole; trackId: string | null; position: number; remoteUrl: string };
/** A music track to record (or update), at its place in the provider's list. */
export type NewTrack = Track & { position: number };
/** A task's lyrics or notes to record. */
export type Outputs = { lyrics: LyricsVariant[] | null; midi: MidiData | null };

export type Decision =
  /** Nothing is written to the task (e.g. a WAV callback for a cover task). */
  | { verdict: "rejected"; error: string }
  | {
      /** "accepted" when the task's state changed (a submission: when it created the task). */
      verdict: "accepted" | "duplicate";
      /** The task is unknown: create it, pending, with this kind and source. */
      create: { kind: TaskKind; lastSource: TaskSource } | null;
      /** A task first seen as `other` turned out to be of this kind; null leaves the kind. */
      retype: TaskKind | null;
      /** New result columns, or null to leave them. */
      state: StateChange | null;
      /** A music task's new stage (always further than its current one), or null to leave it. */
      stage: MusicStage | null;
      /** The next automatic poll, null to stop polling, or "keep" what is scheduled. */
      nextPollAt: Date | null | "keep";
      /** Result files to record (files the task has already are kept as they are). */
      assets: NewAsset[];
      /** Music tracks to record, replacing what is known of them. */
      tracks: NewTrack[];
      /** Lyrics or notes to record, or null to leave them. */
      outputs: Outputs | null;
      events: TimelineEntry[];
    };

export type PollDue = Extract<Incoming, { via: "poll_due" }>;
/** Of a due poll: send it now (nothing is written before the provider answers). */
export type PollNow = { verdict: "poll" };

/** What a decision leaves alone unless it says otherwise. */
const UNCHANGED: Pick<
  Exclude<Decision, { verdict: "rejected" }>,
  "create" | "retype" | "state" | "stage" | "assets" | "tracks" | "outputs"
> = {
  create: null,
  retype: null,
  state: null,
  stage: null,
  assets: [],
  tracks: [],
  outputs: null,
};

/** Whether a task known as `current` may take `kind`: its own, or any once it was seen only as `other`. */
const kindFits = (current: TaskKind, kind: TaskKind) => current === kind || current === "other";

/** The one decision: what `incoming` does to the task as it stands (undefined: unknown) at `now`. */
export function decide(current: TaskState | undefined, incoming: Exclude<Incoming, PollDue>, now: Date): Decision;
export function decide(current: TaskState | undefined, incoming: Incoming, now: Date): Decision | PollNow;
export function decide(current: TaskState | undefined, incoming: Incoming, now: Date): Decision | PollNow {
  switch (incoming.via) {
    case "callback":
    case "replay":
    case "poll":
      return decideResult(current, incoming, now);
    case "poll_failed":
      if (!current) return { verdict: "rejected", error: "the task is unknown" };
      return {
        ...UNCHANGED,
        verdict: "duplicate",
        nextPollAt: current.status === "pending" ? nextPoll(current.createdAt, now, FAILED_POLL_FACTOR * incoming.pollIntervalMs) : null,
        events: [{ type: "poll_failed", detail: pollFailedText(incoming.reason) }],
      };
    case "poll_due": {
      if (!current) return { verdict: "rejected", error: "the task is unknown" };
      const givenUp = current.status === "pending" && incoming.automatic && pollingExpired(current.createdAt, now);
      if (current.status === "pending" && !givenUp) return { verdict: "poll" };
      // A final task is not asked about; automatic polling of a task that never finished stops.
      return {
        ...UNCHANGED,
        verdict: "duplicate",
        nextPollAt: givenUp ? null : "keep",
        events: givenUp ? [{ type: "poll_gave_up", detail: pollGaveUpText(GIVE_UP_AFTER_MS / HOUR_MS) }] : [],
      };
    }
    case "submit": {
      if (current && !kindFits(current.kind, incoming.kind)) {
        return { verdict: "rejected", error: `Task ${incoming.taskId} is already known as a ${current.kind} task, not ${incoming.kind}.` };
      }
      const retype = current && current.kind !== incoming.kind ? incoming.kind : null;
      // A task of no known kind has no record-info to ask.
      const firstPoll = incoming.kind === "other" ? null : new Date(now.getTime() + incoming.pollAfterMs);
      // A task seen only as `other` is pending again under its real kind: what it said was no result of that kind.
      const reopen: StateChange | null =
        current && retype && current.status !== "pending"
          ? { status: "pending", code: null, message: null, completedAt: null, filesExpireAt: null, lastSource: "submit" }
          : null;
      return {
        ...UNCHANGED,
        verdict: current && !retype ? "duplicate" : "accepted",
        create: current ? null : { kind: incoming.kind, lastSource: "submit" },
        retype,
        state: reopen,
        // A pending task whose polling stopped is polled again.
        nextPollAt: !current || retype ? firstPoll : current.status === "pending" ? (current.nextPollAt ?? firstPoll) : null,
        events: [{ type: "submitted", detail: submittedText(incoming.submission) }],
      };
    }
  }
}

const STAGE_RANK: Record<MusicStage, number> = { text: 1, first: 2, complete: 3 };

function decideResult(current: TaskState | undefined, incoming: Extract<Incoming, { result: ProviderResult }>, now: Date): Decision {
  const { result } = incoming;
  // A body of no known kind naming a task known by its kind: kept (the delivery joins the task), nothing changes.
  const unreadable = current !== undefined && current.kind !== "other" && result.kind === "other";
  if (current && !unreadable && !kindFits(current.kind, result.kind)) {
    return {
      verdict: "rejected",
      error: `data: task ${result.taskId} is a ${kindName(current.kind)} task, and this is a ${kindName(result.kind)} callback`,
    };
  }
  const lastSource: TaskSource = incoming.via === "poll" ? "poll" : "callback";
  const retype = current?.kind === "other" && result.kind !== "other" ? result.kind : null;
  // What a task seen only as `other` said is no result of its real kind: the first one applies as to a new task.
  const prior: TaskState | undefined =
    current && retype ? { ...current, status: "pending", stage: null, code: null, message: null } : current;
  const ignored = unreadable
    ? "other_kind"
    : prior?.status === "succeeded"
      ? "already_succeeded"
      : result.state === "pending"
        ? null
        : prior && prior.status === result.state && prior.code === result.code && prior.message === result.message
          ? "already_known"
          : null;
  // A pending result changes no state, except that of a task seen only as `other` (its guess is undone).
  const reopen: StateChange = { status: "pending", code: null, message: null, completedAt: null, filesExpireAt: null, lastSource };
  const state: StateChange | null =
    ignored || result.state === "pending"
      ? !ignored && retype && current?.status !== "pending"
        ? reopen
        : null
      : {
          status: result.state,
          code: result.code,
          message: result.message,
          completedAt: result.completedAt ?? now,
          filesExpireAt:
            result.state === "succeeded"
              ? new Date((result.remoteCreatedAt ?? result.completedAt ?? now).getTime() + REMOTE_RETENTION_MS[result.kind])
              : null,
          lastSource,
        };
  const status = state?.status ?? prior?.status ?? "pending";
  // Music never goes back a stage: a late `text` or `first` leaves a `first` or `complete` as it is.
  const stage = !ignored && result.stage && STAGE_RANK[result.stage] > (prior?.stage ? STAGE_RANK[prior.stage] : 0) ? result.stage : null;
  // A success brings its files; a music `first` already brings its tracks' files.
  const assets = state?.status === "succeeded" || stage === "first" ? newAssets(current?.assets ?? [], result.files) : [];
  const tracks = state?.status === "succeeded" || stage ? (result.tracks ?? []).map((track, position) => ({ ...track, position })) : [];
  const outputs: Outputs | null =
    state?.status === "succeeded" && (result.lyrics || result.midi) ? { lyrics: result.lyrics ?? null, midi: result.midi ?? null } : null;
  return {
    verdict: state || stage || assets.length > 0 || retype ? "accepted" : "duplicate",
    create: current ? null : { kind: result.kind, lastSource },
    retype,
    state,
    stage,
    nextPollAt:
      status !== "pending" ? null : incoming.via === "poll" ? nextPoll(current?.createdAt ?? now, now, incoming.pollIntervalMs) : "keep",
    assets,
    tracks,
    outputs,
    events: [{ type: incoming.via, detail: resultText(result, ignored) }],
  };
}

/**
 * The files of `files` the task does not have yet, each at a free position.
 * A file is the same as one the task has when it has the same role, track and
 * rank among the files of that role and track (the second cover image, the
 * art of track X, the drums stem), whatever its position or URL: a `complete`
 * repeats the tracks of its `first`, perhaps in another order. A new file
 * takes its place in the list when that position is free, else the next one
 * after every position in use.
 */
function newAssets(have: readonly AssetKey[], files: readonly ResultFile[]): NewAsset[] {
  const known = new Set(identities([...have].sort((a, b) => a.position - b.position)));
  const used = new Set(have.map((a) => a.position));
  const out: NewAsset[] = [];
  identities(files).forEach((identity, index) => {
    if (known.has(identity)) return;
    const position = used.has(index) ? Math.max(...used) + 1 : index;
    used.add(position);
    const file = files[index]!;
    out.push({ type: assetTypeOf(file.role), role: file.role, trackId: file.trackId, position, remoteUrl: file.url });
  });
  return out;
}

/** Each file's identity: role, track, and its rank among the files of that role and track so far. */
function identities(files: readonly { role: AssetRole; trackId: string | null }[]): string[] {
  const seen = new Map<string, number>();
  return files.map(({ role, trackId }) => {
    const group = `${role}\u0000${trackId ?? ""}`;
    const rank = seen.get(group) ?? 0;
    seen.set(group, rank + 1);
    return `${group}\u0000${rank}`;
  });
}

/** True once a task first seen at `createdAt` is no longer polled automatically. */
export function pollingExpired(createdAt: Date, now: Date): boolean {
  return now.getTime() >= createdAt.getTime() + GIVE_UP_AFTER_MS;
}

/**
 * The poll after one at `now`: the interval, ×4 once the task is an hour old
 * and ×20 after six, never later than the give-up time; null once that time
 * has passed (e.g. "Poll now" on a task whose polling already stopped).
 */
function nextPoll(createdAt: Date, now: Date, intervalMs: number): Date | null {
  if (pollingExpired(createdAt, now)) return null;
  const age = now.getTime() - createdAt.getTime();
  const delay = intervalMs * (age >= 6 * HOUR_MS ? 20 : age >= HOUR_MS ? 4 : 1);
  return new Date(Math.min(now.getTime() + delay, createdAt.getTime() + GIVE_UP_AFTER_MS));
}

// ---------------------------------------------------------------------------
// Files

/** Delay before retry n (after attempt n failed transiently); after the last, the failure is final. */
export const DOWNLOAD_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000] as const;
export const MAX_DOWNLOAD_ATTEMPTS = DOWNLOAD_RETRY_DELAYS_MS.length + 1;
/** A server's Retry-After is honoured up to this long. */
const MAX_RETRY_AFTER_MS = HOUR_MS;
/** A cover whose thumbnail could not be made is tried again (on request) only this long after. */
export const THUMBNAIL_RETRY_AFTER_MS = DAY_MS;

/** What the file rules read of a file. */
export type AssetState = {
  type: AssetType;
  role: AssetRole;
  trackId: string | null;
  position: number;
  status: AssetStatus;
  /** Attempts so far, the current one included once claimed. */
  attempts: number;
  /** Until when a downloading file's worker holds it. */
  leaseUntil: Date | null;
  storagePath: string | null;
  thumbnailPath: string | null;
};

/** What happened to the file. `wrote`: the storage keys the attempt wrote (its file, its thumbnail). */
export type AssetIncoming =
  /** A worker claimed it: download it, or give up when its attempts are spent. */
  | { via: "claimed" }
  /** The attempt stored it under `file.storagePath` (and its thumbnail, if any). */
  | { via: "stored"; file: { bytes: number; contentType: string; sha256: string; storagePath: string; thumbnailPath: string | null } }
  /** The attempt failed; `keptBytes`: the size of an earlier copy still in storage, else null. */
  | { via: "failed"; error: string; permanent: boolean; retryAfterMs: number; keptBytes: number | null; wrote: string[] }
  /** The attempt lost its claim before it could record what it wrote; the state is the row now (undefined: deleted). */
  | { via: "lost"; wrote: string[] }
  /** A fresh download was asked for. */
  | { via: "requested" };

export type AssetDecision =
  | { verdict: "download" }
  | { verdict: "give_up"; error: string }
  /** `remove`: the keys of the copy and thumbnail it replaces that it does not reuse, to delete once it is recorded. */
  | { verdict: "stored"; remove: string[]; event: TimelineEntry }
  /**
   * A failed attempt: retried at `nextAttemptAt` (status pending), final
   * (failed), or final for a re-download whose earlier copy is still stored
   * and served (stored, with that copy's `bytes`). `remove`: what the attempt
   * wrote that the row does not name (e.g. a file stored just before the
   * failure to record it).
   */
  | {
      verdict: "failed";
      status: "pending" | "failed" | "stored";
      error: string;
      nextAttemptAt: Date | null;
      bytes: number | null;
      remove: string[];
      event: TimelineEntry;
    }
  /** What a lost attempt wrote that no row names, nor will: to delete. */
  | { verdict: "lost"; remove: string[] }
  | { verdict: "queued" }
  /** A live download is left alone. */
  | { verdict: "busy" };

/** The keys in `keys` that `row` does not name. */
const unnamed = (keys: string[], row: Pick<AssetState, "storagePath" | "thumbnailPath"> | undefined) =>
  keys.filter((key) => key !== row?.storagePath && key !== row?.thumbnailPath);

type Decided<V extends AssetDecision["verdict"]> = Extract<AssetDecision, { verdict: V }>;

/** The file decision: what `incoming` does to a file as it stands (undefined: its row is gone) at `now`. */
export function decideAsset(current: AssetState, incoming: Extract<AssetIncoming, { via: "stored" }>, now: Date): Decided<"stored">;
export function decideAsset(current: AssetState, incoming: Extract<AssetIncoming, { via: "failed" }>, now: Date): Decided<"failed">;
export function decideAsset(current: AssetState | undefined, incoming: Extract<AssetIncoming, { via: "lost" }>, now: Date): Decided<"lost">;
export function decideAsset(current: AssetState | undefined, incoming: AssetIncoming, now: Date): AssetDecision;
export function decideAsset(current: AssetState | undefined, incoming: AssetIncoming, now: Date): AssetDecision {
  if (incoming.via === "lost") {
    // Pending or downloading again: the next attempt writes these same keys, and may already have.
    const taken = current && (current.status === "pending" || current.status === "downloading");
    return { verdict: "lost", remove: taken ? [] : unnamed(incoming.wrote, current) };
  }
  if (!current) return { verdict: "lost", remove: "wrote" in incoming ? incoming.wrote : [] };
  switch (incoming.via) {
    case "claimed":
      return current.attempts > MAX_DOWNLOAD_ATTEMPTS
        ? { verdict: "give_up", error: `gave up after ${MAX_DOWNLOAD_ATTEMPTS} attempts` }
        : { verdict: "download" };
    case "stored": {
      const { file } = incoming;
      const replaced = [current.storagePath, current.thumbnailPath].filter((key): key is string => key !== null);
      return {
        verdict: "stored",
        remove: unnamed(replaced, file),
        event: { type: "download_stored", detail: downloadStoredText(current, file) },
      };
    }
    case "failed": {
      const retry = !incoming.permanent && current.attempts < MAX_DOWNLOAD_ATTEMPTS;
      const error = retry || incoming.permanent ? incoming.error : `${incoming.error} (gave up after ${current.attempts} attempts)`;
      // A failure leaves the row's keys as they are.
      const remove = unnamed(incoming.wrote, current);
      if (retry) {
        const delay = Math.max(DOWNLOAD_RETRY_DELAYS_MS[current.attempts - 1] ?? 0, Math.min(incoming.retryAfterMs, MAX_RETRY_AFTER_MS));
        return {
          verdict: "failed",
          status: "pending",
          error,
          nextAttemptAt: new Date(now.getTime() + delay),
          bytes: null,
          remove,
          event: { type: "download_failed", detail: downloadFailedText(current, error, { retryInMs: delay }) },
        };
      }
      const kept = incoming.keptBytes !== null;
      return {
        verdict: "failed",
        status: kept ? "stored" : "failed",
        error: kept ? `re-download failed: ${error}; the stored copy was kept` : error,
        nextAttemptAt: null,
        bytes: incoming.keptBytes,
        remove,
        event: { type: "download_failed", detail: downloadFailedText(current, error, kept ? "kept" : null) },
      };
    }
    case "requested":
      return current.status === "downloading" && current.leaseUntil !== null && current.leaseUntil >= now
        ? { verdict: "busy" }
        : { verdict: "queued" };
  }
}

/** Whether a cover without a thumbnail may be tried again: never failed, or failed long enough ago. */
export function thumbnailRetryDue(thumbnailFailedAt: Date | null, now: Date): boolean {
  return thumbnailFailedAt === null || now.getTime() - thumbnailFailedAt.getTime() >= THUMBNAIL_RETRY_AFTER_MS;
}

/** Files not stored yet whose provider copies expire within this long are at risk. */
export const AT_RISK_WINDOW_MS = 48 * HOUR_MS;
/**
 * The statuses of a file the dashboard still means to store. A stored file is
 * safe, and a removed one was removed on purpose (retention): neither is at risk.
 */
export const AT_RISK_STATUSES = ["pending", "downloading", "failed"] as const satisfies readonly AssetStatus[];

/** Whether a file is at risk: not stored, and its task's remote copies expire in (now, now + AT_RISK_WINDOW_MS]. */
export function fileAtRisk(status: AssetStatus, filesExpireAt: Date | null, now: Date): boolean {
  if (!(AT_RISK_STATUSES as readonly AssetStatus[]).includes(status) || !filesExpireAt) return false;
  const left = filesExpireAt.getTime() - now.getTime();
  return left > 0 && left <= AT_RISK_WINDOW_MS;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
