// The task and file rules, in one place and without I/O: which kind a callback
// is, what a callback, replay, poll or submission does to a task (its state,
// files, poll schedule and timeline), whether a due poll is sent or given up,
// what becomes of a file after each download attempt, and which files are at
// risk. db/queries/* read the row, ask decide() or decideAsset() and write
// what it answers in one atomic write.
//   Tasks: pending → succeeded | failed;  failed → succeeded;  succeeded is final;
//     a task keeps its kind; a final state stops polling.
//   Files: pending → downloading → stored | pending (a retry) | failed;
//     stored → removed (retention);  anything but a live download → pending (re-download).
import type { AssetStatus, AssetType, TaskKind, TaskSource, TaskStatus } from "@/lib/core/enums";
import type { ProviderResult } from "@/lib/core/result";
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
/** The provider deletes covers after about 14 days and WAV files after about 15. */
export const REMOTE_RETENTION_MS = { cover: 14 * DAY_MS, wav: 15 * DAY_MS } as const;
/** Automatic polling stops this long after the task was first seen without a final state. */
export const GIVE_UP_AFTER_MS = 48 * HOUR_MS;
/** Polls that failed (unknown task, provider trouble) are repeated less often. */
const FAILED_POLL_FACTOR = 4;

/** Tells a callback's kind: the path's when it names one, else the payload's (http-api.md); null when neither fits. */
export function callbackKind(pathKind: TaskKind | null, payload: unknown): TaskKind | null {
  if (pathKind) return pathKind;
  const data = isRecord(payload) && isRecord(payload.data) ? payload.data : null;
  if (!data) return null;
  if ("task_id" in data || "audioWavUrl" in data || "audio_wav_url" in data) return "wav";
  if ("taskId" in data || "images" in data) return "cover";
  return null;
}

/** What the rules read of a known task. */
export type TaskState = {
  kind: TaskKind;
  status: TaskStatus;
  code: number | null;
  message: string | null;
  createdAt: Date;
  nextPollAt: Date | null;
  /** Positions of the assets it already has. */
  assetPositions: readonly number[];
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
  completedAt: Date;
  filesExpireAt: Date | null;
  lastSource: TaskSource;
};

export type NewAsset = { type: AssetType; position: number; remoteUrl: string };

export type Decision =
  /** Nothing is written to the task (e.g. a WAV callback for a cover task). */
  | { verdict: "rejected"; error: string }
  | {
      /** "accepted" when the task's state changed (a submission: when it created the task). */
      verdict: "accepted" | "duplicate";
      /** The task is unknown: create it, pending, with this kind and source. */
      create: { kind: TaskKind; lastSource: TaskSource } | null;
      /** New result columns, or null to leave them. */
      state: StateChange | null;
      /** The next automatic poll, null to stop polling, or "keep" what is scheduled. */
      nextPollAt: Date | null | "keep";
      /** Result files to record (positions the task has already are kept as they are). */
      assets: NewAsset[];
      events: TimelineEntry[];
    };

export type PollDue = Extract<Incoming, { via: "poll_due" }>;
/** Of a due poll: send it now (nothing is written before the provider answers). */
export type PollNow = { verdict: "poll" };

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
        verdict: "duplicate",
        create: null,
        state: null,
        nextPollAt: current.status === "pending" ? nextPoll(current.createdAt, now, FAILED_POLL_FACTOR * incoming.pollIntervalMs) : null,
        assets: [],
        events: [{ type: "poll_failed", detail: pollFailedText(incoming.reason) }],
      };
    case "poll_due": {
      if (!current) return { verdict: "rejected", error: "the task is unknown" };
      const givenUp = current.status === "pending" && incoming.automatic && pollingExpired(current.createdAt, now);
      if (current.status === "pending" && !givenUp) return { verdict: "poll" };
      // A final task is not asked about; automatic polling of a task that never finished stops.
      return {
        verdict: "duplicate",
        create: null,
        state: null,
        nextPollAt: givenUp ? null : "keep",
        assets: [],
        events: givenUp ? [{ type: "poll_gave_up", detail: pollGaveUpText(GIVE_UP_AFTER_MS / HOUR_MS) }] : [],
      };
    }
    case "submit": {
      if (current && current.kind !== incoming.kind) {
        return { verdict: "rejected", error: `Task ${incoming.taskId} is already known as a ${current.kind} task, not ${incoming.kind}.` };
      }
      const firstPoll = new Date(now.getTime() + incoming.pollAfterMs);
      return {
        verdict: current ? "duplicate" : "accepted",
        create: current ? null : { kind: incoming.kind, lastSource: "submit" },
        state: null,
        // A pending task whose polling stopped is polled again.
        nextPollAt: !current ? firstPoll : current.status === "pending" ? (current.nextPollAt ?? firstPoll) : null,
        assets: [],
        events: [{ type: "submitted", detail: submittedText(incoming.submission) }],
      };
    }
  }
}

function decideResult(current: TaskState | undefined, incoming: Extract<Incoming, { result: ProviderResult }>, now: Date): Decision {
  const { result } = incoming;
  if (current && current.kind !== result.kind) {
    return {
      verdict: "rejected",
      error: `data: task ${result.taskId} is a ${kindName(current.kind)} task, and this is a ${kindName(result.kind)} callback`,
    };
  }
  const lastSource: TaskSource = incoming.via === "poll" ? "poll" : "callback";
  const ignored =
    current?.status === "succeeded"
      ? "already_succeeded"
      : result.state === "pending"
        ? null
        : current && current.status === result.state && current.code === result.code && current.message === result.message
          ? "already_known"
          : null;
  const state: StateChange | null =
    ignored || result.state === "pending"
      ? null
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
  const status = state?.status ?? current?.status ?? "pending";
  const have = new Set(current?.assetPositions);
  const type: AssetType = result.kind === "cover" ? "image" : "audio";
  return {
    verdict: state ? "accepted" : "duplicate",
    create: current ? null : { kind: result.kind, lastSource },
    state,
    nextPollAt:
      status !== "pending" ? null : incoming.via === "poll" ? nextPoll(current?.createdAt ?? now, now, incoming.pollIntervalMs) : "keep",
    assets:
      state?.status === "succeeded"
        ? result.urls.map((remoteUrl, position) => ({ type, position, remoteUrl })).filter((a) => !have.has(a.position))
        : [],
    events: [{ type: incoming.via, detail: resultText(result, ignored) }],
  };
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
