// The task state rules, in one place and without I/O: which kind a callback
// is, and what a callback, replay, poll or submission does to a task (its
// state, files, poll schedule and timeline). db/queries/* read the task, ask
// decide() and write what it answers in one atomic write.
//   pending → succeeded | failed;  failed → succeeded;  succeeded is final;
//   a task keeps its kind; a final state stops polling.
import type { AssetType, TaskKind, TaskSource, TaskStatus } from "@/lib/core/enums";
import type { ProviderResult } from "@/lib/core/result";
import {
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
  /** Automatic polling ran out of time (see pollingExpired). */
  | { via: "poll_expired" }
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

/** The one decision: what `incoming` does to the task as it stands (undefined: unknown) at `now`. */
export function decide(current: TaskState | undefined, incoming: Incoming, now: Date): Decision {
  switch (incoming.via) {
    case "callback":
    case "replay":
    case "poll":
      return decideResult(current, incoming, now);
    case "poll_failed":
    case "poll_expired": {
      if (!current) return { verdict: "rejected", error: "the task is unknown" };
      const failed = incoming.via === "poll_failed";
      return {
        verdict: "duplicate",
        create: null,
        state: null,
        nextPollAt:
          failed && current.status === "pending" ? nextPoll(current.createdAt, now, FAILED_POLL_FACTOR * incoming.pollIntervalMs) : null,
        assets: [],
        events: [
          failed
            ? { type: "poll_failed", detail: pollFailedText(incoming.reason) }
            : { type: "poll_gave_up", detail: pollGaveUpText(GIVE_UP_AFTER_MS / HOUR_MS) },
        ],
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
