// The task state rules (lib/core/rules.ts) and the timeline's words, one case a row.
import { describe, expect, it } from "vitest";
import type { AssetStatus, MusicStage, TaskKind, TaskStatus } from "@/lib/core/enums";
import {
  AT_RISK_WINDOW_MS,
  callbackKind,
  decide,
  decideAsset,
  DOWNLOAD_RETRY_DELAYS_MS,
  fileAtRisk,
  GIVE_UP_AFTER_MS,
  MAX_DOWNLOAD_ATTEMPTS,
  namedTaskId,
  REMOTE_RETENTION_MS,
  thumbnailRetryDue,
  THUMBNAIL_RETRY_AFTER_MS,
  type AssetDecision,
  type AssetIncoming,
  type AssetState,
  type Decision,
  type Incoming,
  type PollNow,
  type TaskState,
} from "@/lib/core/rules";
import type { ProviderResult, ResultFile, Track } from "@/lib/core/result";
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
  files: [
    { role: "cover", url: "https://a/0.png", trackId: null },
    { role: "cover", url: "https://a/1.png", trackId: null },
  ],
};
const failure: ProviderResult = { kind: "cover", taskId: "t", state: "failed", code: 501, message: "Cover generation failed", files: [] };
const pending: ProviderResult = { kind: "cover", taskId: "t", state: "pending", code: null, message: null, files: [] };
const wavSuccess: ProviderResult = {
  kind: "wav",
  taskId: "t",
  state: "succeeded",
  code: 200,
  message: "success",
  files: [{ role: "wav", url: "https://a/x.wav", trackId: null }],
};

function task(status: TaskStatus, over: Partial<TaskState> = {}): TaskState {
  return { kind: "cover", status, stage: null, code: null, message: null, createdAt: ago(HOUR / 2), nextPollAt: null, assets: [], ...over };
}
const covers = (...positions: number[]) => positions.map((position) => ({ position, role: "cover" as const, trackId: null }));
const accepted = (d: Decision | PollNow) => {
  if (d.verdict === "rejected") throw new Error(`rejected: ${d.error}`);
  if (d.verdict === "poll") throw new Error("a poll to send");
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
      { type: "image", role: "cover", trackId: null, position: 0, remoteUrl: "https://a/0.png" },
      { type: "image", role: "cover", trackId: null, position: 1, remoteUrl: "https://a/1.png" },
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
    expect(d.assets).toEqual([{ type: "audio", role: "wav", trackId: null, position: 0, remoteUrl: "https://a/x.wav" }]);
  });

  // "A task that succeeded stays succeeded when a failure or an older payload arrives later."
  it.each<[string, Incoming]>([
    ["a failure callback", { via: "callback", result: failure }],
    ["an older success", { via: "callback", result: { ...success, files: [{ role: "cover", url: "https://old/0.png", trackId: null }] } }],
    ["a replay", { via: "replay", result: failure }],
    ["a pending poll", poll(pending)],
    ["a failed poll answer", poll(failure)],
  ])("succeeded stays succeeded after %s", (_, incoming) => {
    const d = accepted(decide(task("succeeded", { code: 200, message: "success", assets: covers(0, 1) }), incoming, now));
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
    const d = accepted(decide(task("failed", { assets: covers(0) }), { via: "callback", result: success }, now));
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
    ["the give-up", task("pending", { nextPollAt: now, createdAt: ago(GIVE_UP_AFTER_MS) }), { via: "poll_due", automatic: true }],
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
    expect(decide(undefined, { via: "poll_due", automatic: true }, now).verdict).toBe("rejected");
    expect(decide(undefined, { via: "poll_failed", reason: "x", pollIntervalMs: 1 }, now).verdict).toBe("rejected");
  });
});

describe("a due poll: send it or give up", () => {
  const gaveUp = [
    { type: "poll_gave_up", detail: "No final result after 48 hours: automatic polling stopped. Use Poll now to ask again." },
  ];
  it.each<[string, TaskState, boolean, "poll" | { nextPollAt: null | "keep"; events: unknown[] }]>([
    ["a pending task is polled", task("pending", { createdAt: ago(HOUR) }), true, "poll"],
    ["just before the give-up time", task("pending", { createdAt: ago(GIVE_UP_AFTER_MS - 1) }), true, "poll"],
    [
      "at the give-up time, automatic polling stops",
      task("pending", { createdAt: ago(GIVE_UP_AFTER_MS) }),
      true,
      { nextPollAt: null, events: gaveUp },
    ],
    ["a tracked task is polled at any age", task("pending", { createdAt: ago(3 * GIVE_UP_AFTER_MS) }), false, "poll"],
    ["a succeeded task is not asked about", task("succeeded"), true, { nextPollAt: "keep", events: [] }],
    ["nor a failed one, when tracked", task("failed"), false, { nextPollAt: "keep", events: [] }],
  ])("%s", (_, current, automatic, expected) => {
    const d = decide(current, { via: "poll_due", automatic }, now);
    if (expected === "poll") expect(d).toEqual({ verdict: "poll" });
    else
      expect(d).toEqual({
        verdict: "duplicate",
        create: null,
        retype: null,
        state: null,
        stage: null,
        assets: [],
        tracks: [],
        outputs: null,
        ...expected,
      });
  });
});

describe("the file rules", () => {
  const file = (over: Partial<AssetState> = {}): AssetState => ({
    type: "image",
    role: "cover",
    trackId: null,
    position: 0,
    status: "downloading",
    attempts: 1,
    leaseUntil: later(15_000),
    storagePath: null,
    thumbnailPath: null,
    ...over,
  });
  const failed = (over: Partial<Extract<AssetIncoming, { via: "failed" }>> = {}): AssetIncoming => ({
    via: "failed",
    error: "HTTP 503",
    permanent: false,
    retryAfterMs: 0,
    keptBytes: null,
    wrote: [],
    ...over,
  });
  const stored = {
    bytes: 2048,
    contentType: "image/png",
    sha256: "ab".repeat(32),
    storagePath: "cover/t/0.png",
    thumbnailPath: "cover/t/0.thumb.webp",
  };

  it.each<[string, AssetState | undefined, AssetIncoming, AssetDecision]>([
    ["a claim downloads", file({ attempts: MAX_DOWNLOAD_ATTEMPTS }), { via: "claimed" }, { verdict: "download" }],
    [
      "a claim past the last attempt gives up",
      file({ attempts: MAX_DOWNLOAD_ATTEMPTS + 1 }),
      { via: "claimed" },
      { verdict: "give_up", error: "gave up after 8 attempts" },
    ],
    [
      "a first download is stored",
      file(),
      { via: "stored", file: stored },
      {
        verdict: "stored",
        remove: [],
        event: { type: "download_stored", detail: `stored image 1 (2048 bytes, image/png, sha256 ${"ab".repeat(6)}…)` },
      },
    ],
    [
      "a re-download under the same keys removes nothing",
      file({ storagePath: "cover/t/0.png", thumbnailPath: "cover/t/0.thumb.webp" }),
      { via: "stored", file: stored },
      expect.objectContaining({ verdict: "stored", remove: [] }),
    ],
    [
      "a re-download under another key removes the old copy; a failed thumbnail, the old thumbnail",
      file({ storagePath: "cover/t/0.jpg", thumbnailPath: "cover/t/0.thumb.webp" }),
      { via: "stored", file: { ...stored, thumbnailPath: null } },
      expect.objectContaining({ verdict: "stored", remove: ["cover/t/0.jpg", "cover/t/0.thumb.webp"] }),
    ],
    [
      "a transient failure is retried after its delay",
      file({ attempts: 2 }),
      failed(),
      {
        verdict: "failed",
        status: "pending",
        error: "HTTP 503",
        nextAttemptAt: later(DOWNLOAD_RETRY_DELAYS_MS[1]),
        bytes: null,
        remove: [],
        event: { type: "download_failed", detail: "image 1: HTTP 503; retrying in 30 s" },
      },
    ],
    [
      "a longer Retry-After is honoured, up to an hour",
      file({ attempts: 1 }),
      failed({ retryAfterMs: 5 * HOUR }),
      expect.objectContaining({ status: "pending", nextAttemptAt: later(HOUR) }),
    ],
    [
      "a permanent failure is final at once",
      file({ attempts: 1 }),
      failed({ error: "HTTP 404", permanent: true }),
      expect.objectContaining({
        status: "failed",
        error: "HTTP 404",
        nextAttemptAt: null,
        event: { type: "download_failed", detail: "image 1: HTTP 404" },
      }),
    ],
    [
      "the last transient failure is final",
      file({ attempts: MAX_DOWNLOAD_ATTEMPTS, type: "audio", role: "wav" }),
      failed(),
      expect.objectContaining({ status: "failed", error: "HTTP 503 (gave up after 8 attempts)", nextAttemptAt: null }),
    ],
    [
      "a final failure of a re-download keeps the stored copy",
      file({ attempts: MAX_DOWNLOAD_ATTEMPTS, type: "audio", role: "wav", storagePath: "wav/t/0.wav" }),
      failed({ permanent: true, error: "HTTP 410", keptBytes: 4096 }),
      expect.objectContaining({
        status: "stored",
        error: "re-download failed: HTTP 410; the stored copy was kept",
        bytes: 4096,
        event: { type: "download_failed", detail: "the WAV file: HTTP 410; keeping the stored copy" },
      }),
    ],
    [
      "a failure after writing removes what the row does not name",
      file({ storagePath: "cover/t/0.jpg" }),
      failed({ wrote: ["cover/t/0.png", "cover/t/0.jpg"] }),
      expect.objectContaining({ status: "pending", remove: ["cover/t/0.png"] }),
    ],
    [
      "a lost claim of a deleted task removes all it wrote",
      undefined,
      { via: "lost", wrote: ["cover/t/0.png", "cover/t/0.thumb.webp"] },
      { verdict: "lost", remove: ["cover/t/0.png", "cover/t/0.thumb.webp"] },
    ],
    [
      "a lost claim leaves what another download writes too",
      file({ status: "downloading" }),
      { via: "lost", wrote: ["cover/t/0.png"] },
      { verdict: "lost", remove: [] },
    ],
    ["… or will write", file({ status: "pending" }), { via: "lost", wrote: ["cover/t/0.png"] }, { verdict: "lost", remove: [] }],
    [
      "a lost claim of a file stored meanwhile keeps what its row names",
      file({ status: "stored", storagePath: "cover/t/0.png", thumbnailPath: null }),
      { via: "lost", wrote: ["cover/t/0.png", "cover/t/0.thumb.webp"] },
      { verdict: "lost", remove: ["cover/t/0.thumb.webp"] },
    ],
    [
      "a lost claim of a removed file removes all it wrote",
      file({ status: "removed" }),
      { via: "lost", wrote: ["cover/t/0.png"] },
      { verdict: "lost", remove: ["cover/t/0.png"] },
    ],
    ["a re-download leaves a live download alone", file({ leaseUntil: now }), { via: "requested" }, { verdict: "busy" }],
    ["… and takes over one whose lease ran out", file({ leaseUntil: ago(1) }), { via: "requested" }, { verdict: "queued" }],
    ...(["pending", "stored", "failed", "removed"] as const).map((status): [string, AssetState, AssetIncoming, AssetDecision] => [
      `a re-download queues a ${status} file`,
      file({ status, leaseUntil: null }),
      { via: "requested" },
      { verdict: "queued" },
    ]),
  ])("%s", (_, current, incoming, decision) => {
    expect(decideAsset(current, incoming, now)).toEqual(decision);
  });

  it("retries wait 5 s, 30 s, 2 min, 10 min, then hourly", () => {
    const delays = DOWNLOAD_RETRY_DELAYS_MS.map((_, i) => {
      const d = decideAsset(file({ attempts: i + 1 }), failed(), now) as Extract<AssetDecision, { verdict: "failed" }>;
      return d.nextAttemptAt!.getTime() - now.getTime();
    });
    expect(delays).toEqual([5_000, 30_000, 120_000, 600_000, HOUR, HOUR, HOUR]);
  });

  it.each<[string, Date | null, boolean]>([
    ["never failed", null, true],
    ["failed just now", now, false],
    ["failed a little under a day ago", ago(THUMBNAIL_RETRY_AFTER_MS - 1), false],
    ["failed a day ago", ago(THUMBNAIL_RETRY_AFTER_MS), true],
  ])("a thumbnail that %s is tried again: %s", (_, failedAt, due) => {
    expect(thumbnailRetryDue(failedAt, now)).toBe(due);
  });
});

describe("files at risk", () => {
  it.each<[AssetStatus, Date | null, boolean]>([
    ["pending", later(AT_RISK_WINDOW_MS), true],
    ["downloading", later(HOUR), true],
    ["failed", later(1), true],
    ["pending", later(AT_RISK_WINDOW_MS + 1), false],
    ["failed", now, false],
    ["failed", ago(HOUR), false],
    ["pending", null, false],
    ["stored", later(HOUR), false],
    // Removed by retention on purpose: not at risk.
    ["removed", later(HOUR), false],
  ])("a %s file whose copies expire at %s: %s", (status, expiresAt, risky) => {
    expect(fileAtRisk(status, expiresAt, now)).toBe(risky);
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
      { via: "poll_due", automatic: true },
      task("pending", { createdAt: ago(GIVE_UP_AFTER_MS + 1) }),
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
    expect(downloadFailedText({ role: "cover", position: 0, trackId: null }, "HTTP 429 Too Many Requests", { retryInMs: 7_000 })).toBe(
      "image 1: HTTP 429 Too Many Requests; retrying in 7 s",
    );
    expect(downloadFailedText({ role: "wav", position: 0, trackId: null }, "gone", "kept")).toBe(
      "the WAV file: gone; keeping the stored copy",
    );
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

// ---------------------------------------------------------------------------
// Every kind (http-api.md "Every kind of task the provider calls back")

describe("the kind rule, every kind", () => {
  const track = { id: "t1", audio_url: "https://a/t1.mp3" };
  it.each<[string, unknown, TaskKind | null]>([
    ["callbackType with tracks carrying audio_url → music", { data: { callbackType: "complete", task_id: "m", data: [track] } }, "music"],
    [
      "a music error (data.task_id, no tracks) → music, not a failed WAV",
      { code: 400, data: { callbackType: "error", task_id: "m", data: null } },
      "music",
    ],
    ["a music text stage without tracks → music", { data: { callbackType: "text", task_id: "m", data: [] } }, "music"],
    [
      "a replace-section failure with data.error → music",
      { code: 501, data: { callbackType: "error", task_id: "m", error: "x" } },
      "music",
    ],
    [
      "callbackType with variants carrying text → lyrics",
      { data: { callbackType: "complete", taskId: "l", data: [{ text: "la" }] } },
      "lyrics",
    ],
    ["a lyrics error (data.taskId) → lyrics", { code: 400, data: { callbackType: "error", taskId: "l", data: null } }, "lyrics"],
    ["data.vocal_removal_info → separation", { data: { task_id: "s", vocal_removal_info: { vocal_url: "u" } } }, "separation"],
    ["data.vocal_separation_info (kie EN) → separation", { data: { task_id: "s", vocal_separation_info: {} } }, "separation"],
    ["a failed separation (info null) → separation", { code: 400, data: { task_id: "s", vocal_removal_info: null } }, "separation"],
    ["top-level task_id with data.instruments → midi", { task_id: "x", code: 200, data: { state: "complete", instruments: [] } }, "midi"],
    ["top-level task_id with data null → midi (its failure)", { task_id: "x", code: 500, data: null }, "midi"],
    ["data.video_url → video", { data: { task_id: "v", video_url: "u" } }, "video"],
    ["data.video_url null → video (its failure)", { code: 400, data: { task_id: "v", video_url: null } }, "video"],
    [
      "a voice phrase (data.taskId and unknown fields) → other",
      { data: { taskId: "x", validateInfo: "say", status: "wait_validating" } },
      "other",
    ],
    ["data.task_id with unknown fields → other", { data: { task_id: "x", progress: 1 } }, "other"],
    ["a top-level taskId → other", { taskId: "x" }, "other"],
    ["a top-level task_id beside unknown data → other", { task_id: "x", data: { foo: 1 } }, "other"],
    ["no task id anywhere → none", { code: 200, data: { id: "x", status: "ok" } }, null],
  ])("%s", (_, payload, kind) => {
    expect(callbackKind(null, payload)).toBe(kind);
  });

  it("names the task wherever the kind puts it, and refuses a body naming two", () => {
    expect(namedTaskId({ task_id: " midi-1 ", data: { state: "complete" } })).toEqual({ ok: true, taskId: "midi-1" });
    expect(namedTaskId({ task_id: "a", data: { task_id: "a" } })).toEqual({ ok: true, taskId: "a" });
    expect(namedTaskId({ task_id: "a", data: { taskId: "b" } })).toEqual({
      ok: false,
      problem: 'data.taskId ("b") and task_id ("a") name different tasks',
    });
    expect(namedTaskId({ data: { id: "x" } })).toEqual({ ok: true, taskId: null });
  });
});

describe("results of every kind", () => {
  const T1 = "track-1";
  const T2 = "track-2";
  const trackOf = (trackId: string): Track => ({
    trackId,
    title: `Song ${trackId}`,
    tags: "rock",
    prompt: "[Verse] la",
    modelName: "chirp-v3-5",
    duration: 120,
    createTime: null,
  });
  const trackFiles = (...ids: string[]): ResultFile[] =>
    ids.flatMap((trackId) => [
      { role: "track" as const, url: `https://a/${trackId}.mp3`, trackId },
      { role: "track-art" as const, url: `https://a/${trackId}.jpeg`, trackId },
    ]);
  const music = (stage: MusicStage, ...ids: string[]): ProviderResult => ({
    kind: "music",
    taskId: "t",
    state: stage === "complete" ? "succeeded" : "pending",
    code: 200,
    message: "ok",
    stage,
    tracks: ids.map(trackOf),
    files: trackFiles(...ids),
  });
  const musicError: ProviderResult = {
    kind: "music",
    taskId: "t",
    state: "failed",
    code: 400,
    message: "Music generation failed",
    files: [],
    tracks: [],
  };
  const musicTask = (status: TaskStatus, stage: MusicStage | null, assets: TaskState["assets"] = []) =>
    task(status, { kind: "music", stage, assets });
  const assetsOf = (...ids: string[]) =>
    ids.flatMap((trackId, i) => [
      { position: 2 * i, role: "track" as const, trackId },
      { position: 2 * i + 1, role: "track-art" as const, trackId },
    ]);

  // current (status, stage, files) × incoming stage → status written, stage written, verdict, files and tracks recorded
  it.each<
    [
      string,
      TaskState | undefined,
      ProviderResult,
      { verdict: string; status: TaskStatus | null; stage: MusicStage | null; assets: number; tracks: number },
    ]
  >([
    ["unknown + text", undefined, music("text"), { verdict: "accepted", status: null, stage: "text", assets: 0, tracks: 0 }],
    ["unknown + first", undefined, music("first", T1), { verdict: "accepted", status: null, stage: "first", assets: 2, tracks: 1 }],
    [
      "unknown + complete",
      undefined,
      music("complete", T1, T2),
      { verdict: "accepted", status: "succeeded", stage: "complete", assets: 4, tracks: 2 },
    ],
    ["unknown + error", undefined, musicError, { verdict: "accepted", status: "failed", stage: null, assets: 0, tracks: 0 }],
    ["text + text", musicTask("pending", "text"), music("text"), { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 }],
    [
      "text + first",
      musicTask("pending", "text"),
      music("first", T1),
      { verdict: "accepted", status: null, stage: "first", assets: 2, tracks: 1 },
    ],
    [
      "first + first",
      musicTask("pending", "first", assetsOf(T1)),
      music("first", T1),
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "first + text",
      musicTask("pending", "first", assetsOf(T1)),
      music("text"),
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "first + complete",
      musicTask("pending", "first", assetsOf(T1)),
      music("complete", T1, T2),
      { verdict: "accepted", status: "succeeded", stage: "complete", assets: 2, tracks: 2 },
    ],
    [
      "first + error",
      musicTask("pending", "first", assetsOf(T1)),
      musicError,
      { verdict: "accepted", status: "failed", stage: null, assets: 0, tracks: 0 },
    ],
    [
      "complete + first",
      musicTask("succeeded", "complete", assetsOf(T1, T2)),
      music("first", T1),
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "complete + text",
      musicTask("succeeded", "complete", assetsOf(T1, T2)),
      music("text"),
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "complete + error",
      musicTask("succeeded", "complete", assetsOf(T1, T2)),
      musicError,
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "complete + complete",
      musicTask("succeeded", "complete", assetsOf(T1, T2)),
      music("complete", T1, T2),
      { verdict: "duplicate", status: null, stage: null, assets: 0, tracks: 0 },
    ],
    [
      "error + complete",
      musicTask("failed", null),
      music("complete", T1, T2),
      { verdict: "accepted", status: "succeeded", stage: "complete", assets: 4, tracks: 2 },
    ],
  ])("music: %s", (_, current, result, expected) => {
    const d = accepted(decide(current, { via: "callback", result }, now));
    expect(d.verdict).toBe(expected.verdict);
    expect(d.state?.status ?? null).toBe(expected.status);
    expect(d.stage).toBe(expected.stage);
    expect(d.assets).toHaveLength(expected.assets);
    expect(d.tracks).toHaveLength(expected.tracks);
    if (d.state?.status === "succeeded") expect(d.state.filesExpireAt).toEqual(later(REMOTE_RETENTION_MS.music));
  });

  it("a music first after complete changes nothing at all (nothing undoes complete)", () => {
    const d = accepted(decide(musicTask("succeeded", "complete", assetsOf(T1, T2)), poll(music("first", T1)), now));
    expect(d).toMatchObject({ verdict: "duplicate", state: null, stage: null, assets: [], tracks: [], outputs: null, nextPollAt: null });
    expect(d.events[0]!.detail).toBe("first track ready (stage first, 1 track); ignored, the task already succeeded");
  });

  it("a complete keeps the files of its first by role and track, whatever their order, and adds the rest after them", () => {
    // The first brought only track 1's art (its MP3 was not final yet); the complete lists track 2 first.
    const current = musicTask("pending", "first", [{ position: 0, role: "track-art", trackId: T1 }]);
    const d = accepted(decide(current, { via: "callback", result: music("complete", T2, T1) }, now));
    expect(d.assets.map((a) => [a.position, a.role, a.trackId, a.type])).toEqual([
      [1, "track", T2, "audio"],
      [2, "track-art", T2, "image"],
      [3, "track", T1, "audio"],
    ]);
    expect(d.tracks.map((t) => [t.trackId, t.position])).toEqual([
      [T2, 0],
      [T1, 1],
    ]);
  });

  it("lyrics and notes are recorded with the success, and only then", () => {
    const lyrics = [{ title: "A", text: "[Verse] la", status: "complete", errorMessage: null }];
    const lyricsResult: ProviderResult = { kind: "lyrics", taskId: "t", state: "succeeded", code: 200, message: "ok", files: [], lyrics };
    expect(accepted(decide(undefined, { via: "callback", result: lyricsResult }, now))).toMatchObject({
      verdict: "accepted",
      outputs: { lyrics, midi: null },
      assets: [],
      events: [{ type: "callback", detail: "succeeded with 1 lyrics variant" }],
    });
    const midi = { instruments: [{ name: "Drums", notes: [{ pitch: 36, start: 0, end: 0.5, velocity: 1 }] }] };
    const midiResult: ProviderResult = { kind: "midi", taskId: "t", state: "succeeded", code: 200, message: "success", files: [], midi };
    const d = accepted(decide(undefined, poll(midiResult), now));
    expect(d).toMatchObject({
      outputs: { lyrics: null, midi },
      events: [{ type: "poll", detail: "succeeded with 1 instrument (1 note)" }],
    });
    expect(d.state?.filesExpireAt).toEqual(later(REMOTE_RETENTION_MS.midi));
    const again = accepted(decide(task("succeeded", { kind: "midi" }), { via: "callback", result: midiResult }, now));
    expect(again).toMatchObject({ verdict: "duplicate", outputs: null });
  });

  it.each<[TaskKind, ResultFile[], [string, string][], string]>([
    [
      "separation",
      [
        { role: "vocals", url: "https://a/v.mp3", trackId: null },
        { role: "drums", url: "https://a/d.mp3", trackId: null },
      ],
      [
        ["audio", "vocals"],
        ["audio", "drums"],
      ],
      "succeeded with 2 stems",
    ],
    ["video", [{ role: "video", url: "https://a/v.mp4", trackId: null }], [["video", "video"]], "succeeded with the video"],
  ])("a %s success records its files by role", (kind, files, expected, detail) => {
    const result: ProviderResult = { kind, taskId: "t", state: "succeeded", code: 200, message: "ok", files };
    const d = accepted(decide(undefined, { via: "callback", result }, now));
    expect(d.assets.map((a) => [a.type, a.role])).toEqual(expected);
    expect(d.assets.map((a) => a.position)).toEqual(files.map((_, i) => i));
    expect(d.events[0]!.detail).toBe(detail);
    expect(d.state?.filesExpireAt).toEqual(later(REMOTE_RETENTION_MS[kind]));
  });

  describe("tasks of no known kind", () => {
    const other = (state: ProviderResult["state"], code: number | null): ProviderResult => ({
      kind: "other",
      taskId: "t",
      state,
      code,
      message: null,
      files: [],
    });
    const video: ProviderResult = {
      kind: "video",
      taskId: "t",
      state: "succeeded",
      code: 200,
      message: "ok",
      files: [{ role: "video", url: "https://a/v.mp4", trackId: null }],
    };

    it("are created as other, and take the kind of the first result of a known kind, as if new", () => {
      expect(accepted(decide(undefined, { via: "callback", result: other("succeeded", 200) }, now))).toMatchObject({
        create: { kind: "other", lastSource: "callback" },
        state: { status: "succeeded", code: 200 },
      });
      const d = accepted(decide(task("succeeded", { kind: "other", code: 200 }), { via: "callback", result: video }, now));
      expect(d).toMatchObject({ verdict: "accepted", retype: "video", state: { status: "succeeded" }, create: null });
      expect(d.assets).toHaveLength(1);
      // A pending result of its real kind takes back what `other` said.
      const text = accepted(decide(task("failed", { kind: "other", code: 500 }), { via: "callback", result: music("text") }, now));
      expect(text).toMatchObject({ retype: "music", stage: "text", state: { status: "pending", code: null, completedAt: null } });
    });

    it("a body of no known kind for a task of a known kind changes nothing, and is no rejection", () => {
      const d = accepted(decide(task("pending", { kind: "video" }), { via: "callback", result: other("failed", 500) }, now));
      expect(d).toMatchObject({ verdict: "duplicate", state: null, retype: null, assets: [] });
      expect(d.events[0]!.detail).toBe("a body of no known kind; kept in the inbox, the task is unchanged");
    });

    it("tracking one schedules no poll (it has no record-info); tracking it as a known kind retypes and polls it", () => {
      const submit = (kind: TaskKind): Incoming => ({
        via: "submit",
        taskId: "t",
        kind,
        submission: { action: "track", kind, taskId: "t" },
        pollAfterMs: 1000,
      });
      expect(accepted(decide(undefined, submit("other"), now))).toMatchObject({ create: { kind: "other" }, nextPollAt: null });
      expect(accepted(decide(task("succeeded", { kind: "other" }), submit("separation"), now))).toMatchObject({
        verdict: "accepted",
        retype: "separation",
        state: { status: "pending", lastSource: "submit" },
        nextPollAt: later(1000),
      });
      expect(decide(task("pending", { kind: "separation" }), submit("video"), now)).toMatchObject({ verdict: "rejected" });
    });
  });
});
