// The task state rules (lib/core/rules.ts) and the timeline's words, one case a row.
import { describe, expect, it } from "vitest";
import type { TaskKind, TaskStatus } from "@/lib/core/enums";
import { callbackKind, decide, GIVE_UP_AFTER_MS, REMOTE_RETENTION_MS, type Incoming, type TaskState } from "@/lib/core/rules";
import type { ProviderResult } from "@/lib/core/result";
import { downloadFailedText, eventStyle, resultText, submittedText } from "@/lib/core/timeline";

const HOUR = 3_600_000;
const now = new Date("2026-01-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const later = (ms: number) => new Date(now.getTime() + ms);

const success: ProviderResult = {
  kind: "cover",
  taskId: "t",
  state: "succeeded",
  code: 200,
  message: "success",
  urls: ["https://a/0.png", "https://a/1.png"],
};
const failure: ProviderResult = { kind: "cover", taskId: "t", state: "failed", code: 501, message: "Cover generation failed", urls: [] };
const pending: ProviderResult = { kind: "cover", taskId: "t", state: "pending", code: null, message: null, urls: [] };
const wavSuccess: ProviderResult = {
  kind: "wav",
  taskId: "t",
  state: "succeeded",
  code: 200,
  message: "success",
  urls: ["https://a/x.wav"],
};

function task(status: TaskStatus, over: Partial<TaskState> = {}): TaskState {
  return { kind: "cover", status, code: null, message: null, createdAt: ago(HOUR / 2), nextPollAt: null, assetPositions: [], ...over };
}
const accepted = (d: ReturnType<typeof decide>) => {
  if (d.verdict === "rejected") throw new Error(`rejected: ${d.error}`);
  return d;
};
const poll = (result: ProviderResult, pollIntervalMs = 30_000): Incoming => ({ via: "poll", result, pollIntervalMs });

describe("the kind rule", () => {
  it.each<[string, TaskKind | null, unknown, TaskKind | null]>([
    ["path cover wins over a WAV payload", "cover", { data: { task_id: "x", audioWavUrl: "u" } }, "cover"],
    ["path wav wins over a cover payload", "wav", { data: { taskId: "x", images: [] } }, "wav"],
    ["data.taskId alone → cover (a failure)", null, { code: 501, data: { taskId: "x" } }, "cover"],
    ["data.images → cover", null, { data: { images: ["u"] } }, "cover"],
    ["data.task_id → wav", null, { data: { task_id: "x" } }, "wav"],
    ["data.audioWavUrl with data.taskId → wav", null, { data: { taskId: "x", audioWavUrl: "u" } }, "wav"],
    ["data.audio_wav_url → wav", null, { data: { audio_wav_url: "u" } }, "wav"],
    ["neither → none", null, { data: { id: "x" } }, null],
    ["no data object → none", null, { data: "x" }, null],
    ["not an object → none", null, [1, 2], null],
  ])("%s", (_, pathKind, payload, kind) => {
    expect(callbackKind(pathKind, payload)).toBe(kind);
  });

  it.each<[string, Incoming]>([
    ["a WAV callback", { via: "callback", result: wavSuccess }],
    ["a WAV replay", { via: "replay", result: wavSuccess }],
  ])("%s for a known cover task is rejected", (_, incoming) => {
    expect(decide(task("pending"), incoming, now)).toEqual({
      verdict: "rejected",
      error: "data: task t is a cover task, and this is a WAV callback",
    });
  });

  it("a submission of the other kind for a known task is rejected", () => {
    const d = decide(
      task("pending"),
      { via: "submit", taskId: "t", kind: "wav", submission: { action: "track", kind: "wav", taskId: "t" }, pollAfterMs: 1 },
      now,
    );
    expect(d).toEqual({ verdict: "rejected", error: "Task t is already known as a cover task, not wav." });
  });
});

describe("results (callback, replay, poll)", () => {
  it("pending → succeeded records the files, their expiry and stops polling", () => {
    const d = accepted(decide(task("pending", { nextPollAt: later(1000) }), { via: "callback", result: success }, now));
    expect(d.verdict).toBe("accepted");
    expect(d.state).toEqual({
      status: "succeeded",
      code: 200,
      message: "success",
      completedAt: now,
      filesExpireAt: later(REMOTE_RETENTION_MS.cover),
      lastSource: "callback",
    });
    expect(d.assets).toEqual([
      { type: "image", position: 0, remoteUrl: "https://a/0.png" },
      { type: "image", position: 1, remoteUrl: "https://a/1.png" },
    ]);
    expect(d.nextPollAt).toBeNull();
    expect(d.create).toBeNull();
  });

  it("an unknown task is created by its first result, with that source", () => {
    expect(accepted(decide(undefined, { via: "callback", result: failure }, now)).create).toEqual({
      kind: "cover",
      lastSource: "callback",
    });
    expect(accepted(decide(undefined, { via: "replay", result: failure }, now)).create).toEqual({ kind: "cover", lastSource: "callback" });
    expect(accepted(decide(undefined, poll(wavSuccess), now)).create).toEqual({ kind: "wav", lastSource: "poll" });
  });

  it("expiry counts from when the provider made the task, when known", () => {
    const made = ago(2 * 24 * HOUR);
    const d = accepted(decide(undefined, poll({ ...wavSuccess, remoteCreatedAt: made }), now));
    expect(d.state?.filesExpireAt).toEqual(new Date(made.getTime() + REMOTE_RETENTION_MS.wav));
    expect(d.assets).toEqual([{ type: "audio", position: 0, remoteUrl: "https://a/x.wav" }]);
  });

  // "A task that succeeded stays succeeded when a failure or an older payload arrives later."
  it.each<[string, Incoming]>([
    ["a failure callback", { via: "callback", result: failure }],
    ["an older success", { via: "callback", result: { ...success, urls: ["https://old/0.png"] } }],
    ["a replay", { via: "replay", result: failure }],
    ["a pending poll", poll(pending)],
    ["a failed poll answer", poll(failure)],
  ])("succeeded stays succeeded after %s", (_, incoming) => {
    const d = accepted(decide(task("succeeded", { code: 200, message: "success", assetPositions: [0, 1] }), incoming, now));
    expect(d).toMatchObject({ verdict: "duplicate", state: null, assets: [], nextPollAt: null, create: null });
    expect(d.events[0]!.detail).toMatch(/; ignored, the task already succeeded$/);
  });

  it("failed → succeeded", () => {
    expect(accepted(decide(task("failed", { code: 531, message: "x" }), { via: "callback", result: success }, now)).state?.status).toBe(
      "succeeded",
    );
  });

  it.each<[string, TaskState, ProviderResult, "accepted" | "duplicate"]>([
    ["the same failure twice is a duplicate", task("failed", { code: 501, message: "Cover generation failed" }), failure, "duplicate"],
    ["a different failure updates", task("failed", { code: 500, message: "server error" }), failure, "accepted"],
    ["a pending answer changes nothing", task("pending"), pending, "duplicate"],
  ])("%s", (_, current, result, verdict) => {
    const d = accepted(decide(current, { via: "callback", result }, now));
    expect(d.verdict).toBe(verdict);
    expect(d.state === null).toBe(verdict === "duplicate");
  });

  it("assets the task already has are kept, only missing positions are created", () => {
    const d = accepted(decide(task("failed", { assetPositions: [0] }), { via: "callback", result: success }, now));
    expect(d.assets.map((a) => a.position)).toEqual([1]);
  });
});

describe("a final state stops polling", () => {
  it.each<[string, TaskState | undefined, Incoming]>([
    ["a success callback", task("pending", { nextPollAt: later(1) }), { via: "callback", result: success }],
    ["a failure callback", task("pending", { nextPollAt: later(1) }), { via: "callback", result: failure }],
    ["a polled success", task("pending", { nextPollAt: later(1) }), poll(success)],
    ["a polled failure", task("pending", { nextPollAt: later(1) }), poll(failure)],
    ["a poll failure of a finished task", task("failed"), { via: "poll_failed", reason: "x", pollIntervalMs: 1000 }],
    [
      "a submission joining a finished task",
      task("succeeded"),
      { via: "submit", taskId: "t", kind: "cover", submission: { action: "track", kind: "cover", taskId: "t" }, pollAfterMs: 1000 },
    ],
    ["the give-up", task("pending", { nextPollAt: now }), { via: "poll_expired" }],
  ])("%s", (_, current, incoming) => {
    expect(accepted(decide(current, incoming, now)).nextPollAt).toBeNull();
  });

  it("a callback leaves a pending task's schedule alone when it changes nothing", () => {
    expect(accepted(decide(task("pending"), { via: "callback", result: pending }, now)).nextPollAt).toBe("keep");
  });
});

describe("the poll schedule", () => {
  const interval = 2_000;
  it.each<[string, number, Date | null]>([
    ["a fresh task: the interval", 0, later(interval)],
    ["pending an hour: ×4", HOUR, later(4 * interval)],
    ["pending six hours: ×20", 6 * HOUR, later(20 * interval)],
    ["never past the give-up time", GIVE_UP_AFTER_MS - 1_000, later(1_000)],
    ["after 48 h: no more polls", GIVE_UP_AFTER_MS, null],
  ])("%s", (_, age, next) => {
    expect(accepted(decide(task("pending", { createdAt: ago(age) }), poll(pending, interval), now)).nextPollAt).toEqual(next);
  });

  it("a failed poll waits four times longer", () => {
    const d = accepted(
      decide(task("pending", { createdAt: ago(HOUR) }), { via: "poll_failed", reason: "down", pollIntervalMs: interval }, now),
    );
    expect(d.nextPollAt).toEqual(later(16 * interval));
    expect(d.events).toEqual([{ type: "poll_failed", detail: "Poll failed: down" }]);
  });

  it("a submission schedules the first poll; joining a pending task keeps its schedule, or restarts a stopped one", () => {
    const submit: Incoming = {
      via: "submit",
      taskId: "t",
      kind: "cover",
      submission: { action: "cover", musicTaskId: "m", existed: null },
      pollAfterMs: 120_000,
    };
    const created = accepted(decide(undefined, submit, now));
    expect(created).toMatchObject({ verdict: "accepted", create: { kind: "cover", lastSource: "submit" }, nextPollAt: later(120_000) });
    expect(accepted(decide(task("pending", { nextPollAt: later(5) }), submit, now))).toMatchObject({
      verdict: "duplicate",
      create: null,
      nextPollAt: later(5),
    });
    expect(accepted(decide(task("pending"), submit, now)).nextPollAt).toEqual(later(120_000));
  });

  it("a poll or give-up about an unknown task writes nothing", () => {
    expect(decide(undefined, { via: "poll_expired" }, now).verdict).toBe("rejected");
    expect(decide(undefined, { via: "poll_failed", reason: "x", pollIntervalMs: 1 }, now).verdict).toBe("rejected");
  });
});

describe("the timeline's words", () => {
  it.each<[string, Incoming, TaskState | undefined, { type: string; detail: string }]>([
    ["a success callback", { via: "callback", result: success }, undefined, { type: "callback", detail: "succeeded with 2 images" }],
    ["a WAV poll", poll(wavSuccess), undefined, { type: "poll", detail: "succeeded with the WAV file" }],
    [
      "a failure replay",
      { via: "replay", result: failure },
      undefined,
      { type: "replay", detail: "failed (code 501): Cover generation failed" },
    ],
    [
      "a duplicate failure",
      { via: "callback", result: failure },
      task("failed", { code: 501, message: "Cover generation failed" }),
      { type: "callback", detail: "failed (code 501): Cover generation failed; already known" },
    ],
    ["a pending poll", poll(pending), task("pending"), { type: "poll", detail: "still pending at the provider" }],
    [
      "the give-up",
      { via: "poll_expired" },
      task("pending"),
      { type: "poll_gave_up", detail: "No final result after 48 hours: automatic polling stopped. Use Poll now to ask again." },
    ],
    [
      "tracking",
      { via: "submit", taskId: "t", kind: "wav", submission: { action: "track", kind: "wav", taskId: "t" }, pollAfterMs: 1 },
      undefined,
      { type: "submitted", detail: "Tracking WAV task t: its result is polled from the provider" },
    ],
  ])("%s", (_, incoming, current, event) => {
    expect(accepted(decide(current, incoming, now)).events).toEqual([event]);
  });

  it("submissions, results and downloads", () => {
    expect(submittedText({ action: "cover", musicTaskId: "m", existed: { message: "exists" } })).toBe(
      'The provider already had a cover for music task m ("exists"): tracking that task',
    );
    expect(submittedText({ action: "wav", musicTaskId: "m", audioId: "a", existed: null })).toBe(
      "WAV conversion requested for track a of music task m",
    );
    expect(resultText({ ...failure, code: null, message: null }, null)).toBe("failed");
    expect(downloadFailedText({ type: "image", position: 0 }, "HTTP 429 Too Many Requests", { retryInMs: 7_000 })).toBe(
      "image 1: HTTP 429 Too Many Requests; retrying in 7 s",
    );
    expect(downloadFailedText({ type: "audio", position: 0 }, "gone", "kept")).toBe("the WAV file: gone; keeping the stored copy");
  });

  it.each([
    ["poll_failed", "poll failed", "failure"],
    ["download_stored", "download stored", "stored"],
    ["download_started", "download started", "download"],
    ["poll", "poll", "poll"],
    ["poll_gave_up", "poll gave up", "other"],
    ["some_future_type", "some future type", "other"],
  ])("the page shows %s as %s (%s)", (type, label, tone) => {
    expect(eventStyle(type)).toEqual({ label, tone });
  });
});
