// Unit level: every provider answer variant of suno-api.md and the fixtures parses into the right ProviderResult.
import { describe, expect, it } from "vitest";
import {
  coverRecordSchema,
  coverRecordToResult,
  creditDataSchema,
  envelopeSchema,
  providerTimeSchema,
  RECORD_INFO,
  RecordError,
  taskIdDataSchema,
  wavRecordSchema,
  wavRecordToResult,
} from "@/lib/provider/schemas";
import { fixture } from "./helpers/server";

const data = (name: string) => envelopeSchema.parse(JSON.parse(fixture(`provider/${name}`))).data;
const cover = (d: unknown) => coverRecordToResult(coverRecordSchema.parse(d));
const wav = (d: unknown) => wavRecordToResult(wavRecordSchema.parse(d));

const coverBase = {
  taskId: "c1",
  parentTaskId: "m1",
  callbackUrl: "https://x/cb",
  createTime: "2025-01-15T10:33:01.000Z",
  completeTime: "2025-01-15T10:35:27.000Z",
  response: { images: ["https://f/1.png", "https://f/2.png"] },
  errorCode: 200,
  errorMessage: "",
};
const wavBase = {
  taskId: "w1",
  musicId: "a1",
  callbackUrl: "https://x/cb",
  createTime: "2025-01-01 00:00:00",
  completeTime: "2025-01-01 00:10:00",
  response: { audioWavUrl: "https://f/1.wav" },
  errorCode: null,
  errorMessage: null,
};

describe("fixtures", () => {
  it("cover record-info success", () => {
    const r = cover(data("cover-record-info-success.json"));
    expect(r).toMatchObject({
      kind: "cover",
      taskId: "21aee3c3c2a01fa5e030b3799fa4dd56",
      state: "succeeded",
      code: 200,
      message: null,
      parentTaskId: "73d6128b3523a0079df10da9471017c8",
    });
    expect(r.files).toHaveLength(2);
    expect(r.remoteCreatedAt?.toISOString()).toBe("2025-01-15T10:33:01.000Z");
    expect(r.completedAt?.toISOString()).toBe("2025-01-15T10:35:27.000Z");
  });
  it("cover record-info pending", () => {
    const r = cover(data("cover-record-info-pending.json"));
    expect(r).toMatchObject({ state: "pending", code: null, files: [], completedAt: null });
  });
  it("wav record-info success: zone-less times are UTC, musicId is the audioId", () => {
    const r = wav(data("wav-record-info-success.json"));
    expect(r).toMatchObject({
      kind: "wav",
      taskId: "988e1f2a3b4cc8d3",
      state: "succeeded",
      code: 200,
      files: [{ role: "wav", url: "https://example.com/s/04e6a1b2c3d4e727.wav", trackId: null }],
      audioId: "8551a2b3c4d5662c",
    });
    expect(r.remoteCreatedAt?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(r.completedAt?.toISOString()).toBe("2025-01-01T00:10:00.000Z");
  });
  it("wav record-info failed keeps the provider's code and message", () => {
    const r = wav(data("wav-record-info-failed.json"));
    expect(r).toMatchObject({ state: "failed", code: 451, message: "Unable to download source audio file", files: [] });
  });
  it("generate answers and credit", () => {
    expect(taskIdDataSchema.parse(data("cover-generate-ok.json")).taskId).toBe("21aee3c3c2a01fa5e030b3799fa4dd56");
    expect(envelopeSchema.parse(JSON.parse(fixture("provider/cover-generate-exists-400.json"))).code).toBe(400);
    expect(taskIdDataSchema.parse(data("cover-generate-exists-400.json")).taskId).toBe("21aee3c3c2a01fa5e030b3799fa4dd56");
    expect(envelopeSchema.parse(JSON.parse(fixture("provider/wav-generate-exists-409.json"))).code).toBe(409);
    expect(taskIdDataSchema.parse(data("wav-generate-exists-409.json")).taskId).toBe("988e1f2a3b4cc8d3");
    expect(creditDataSchema.parse(data("credit.json"))).toBe(100);
  });
});

describe("cover successFlag variants", () => {
  it.each([
    [0, "pending"],
    [1, "succeeded"],
    [2, "pending"],
    [3, "failed"],
    ["PENDING", "pending"],
    ["SUCCESS", "succeeded"],
    ["CREATE_TASK_FAILED", "failed"],
    ["GENERATE_COVER_FAILED", "failed"],
    ["1", "succeeded"],
    ["success", "succeeded"],
  ] as const)("%s → %s", (flag, state) => {
    expect(cover({ ...coverBase, successFlag: flag }).state).toBe(state);
  });
  it("a failure without a message says what the flag was", () => {
    const r = cover({ ...coverBase, response: null, successFlag: "GENERATE_COVER_FAILED", errorCode: 501, errorMessage: null });
    expect(r).toMatchObject({ state: "failed", code: 501, message: "The provider reports GENERATE_COVER_FAILED.", files: [] });
  });
  it("rejects unknown flags and success without images", () => {
    expect(coverRecordSchema.safeParse({ ...coverBase, successFlag: "DONE" }).success).toBe(false);
    expect(coverRecordSchema.safeParse({ ...coverBase, successFlag: 7 }).success).toBe(false);
    expect(() => cover({ ...coverBase, response: null, successFlag: 1 })).toThrow(RecordError);
  });
});

describe("wav variants", () => {
  it("status instead of successFlag, audio_wav_url instead of audioWavUrl", () => {
    const r = wav({ ...wavBase, status: "SUCCESS", response: { audio_wav_url: "https://f/2.wav" } });
    expect(r).toMatchObject({ state: "succeeded", files: [{ role: "wav", url: "https://f/2.wav", trackId: null }] });
  });
  it.each([
    ["PENDING", "pending"],
    ["SUCCESS", "succeeded"],
    ["CREATE_TASK_FAILED", "failed"],
    ["GENERATE_WAV_FAILED", "failed"],
  ] as const)("%s → %s", (flag, state) => {
    expect(wav({ ...wavBase, successFlag: flag }).state).toBe(state);
  });
  it("CALLBACK_EXCEPTION with a file is a success (only the callback failed), without one a failure", () => {
    expect(wav({ ...wavBase, successFlag: "CALLBACK_EXCEPTION" })).toMatchObject({
      state: "succeeded",
      files: [{ role: "wav", url: "https://f/1.wav", trackId: null }],
    });
    expect(wav({ ...wavBase, response: null, successFlag: "CALLBACK_EXCEPTION" })).toMatchObject({
      state: "failed",
      message: "The provider reports CALLBACK_EXCEPTION.",
    });
  });
  it("needs successFlag or status", () => {
    expect(wavRecordSchema.safeParse(wavBase).success).toBe(false);
  });
});

describe("times", () => {
  it.each([
    ["2025-01-15T10:33:01.000Z", "2025-01-15T10:33:01.000Z"],
    ["2025-01-01 00:10:00", "2025-01-01T00:10:00.000Z"],
    ["2025-01-01T02:10:00+02:00", "2025-01-01T00:10:00.000Z"],
    [1735690200, "2025-01-01T00:10:00.000Z"],
    [1735690200000, "2025-01-01T00:10:00.000Z"],
  ] as const)("%s", (input, iso) => {
    expect(providerTimeSchema.parse(input)?.toISOString()).toBe(iso);
  });
  it("null stays null, garbage is rejected", () => {
    expect(providerTimeSchema.parse(null)).toBeNull();
    expect(providerTimeSchema.safeParse("yesterday").success).toBe(false);
    expect(providerTimeSchema.safeParse("2025-13-45 99:99:99").success).toBe(false);
  });
});

describe("every kind's record-info (suno-api-kinds.md)", () => {
  const read = <K extends keyof typeof RECORD_INFO>(kind: K, d: unknown) =>
    (RECORD_INFO[kind].toResult as (r: unknown) => ReturnType<typeof coverRecordToResult>)(RECORD_INFO[kind].schema.parse(d));
  const T1 = "8551b0e4-2c7d-4f1a-9e3b-5d6c7a8b662c";

  it("music SUCCESS: complete, the tracks in camelCase, each track's MP3 and art", () => {
    const r = read("music", data("music-record-info-success.json"));
    expect(r).toMatchObject({ kind: "music", state: "succeeded", stage: "complete", code: 200 });
    expect(r.tracks?.map((t) => [t.trackId, t.title, t.modelName, t.duration, t.createTime])).toEqual([
      [T1, "Iron Man", "chirp-v3-5", 198.44, "2025-01-01T00:00:00.000Z"],
      ["c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c", "Iron Man (take 2)", "chirp-v3-5", 201.2, "2025-01-01T00:00:00.000Z"],
    ]);
    expect(r.files.map((f) => [f.role, f.trackId])).toEqual([
      ["track", T1],
      ["track-art", T1],
      ["track", "c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c"],
      ["track-art", "c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c"],
    ]);
  });

  it("music FIRST_SUCCESS: pending at stage first, with that track and its files; TEXT_SUCCESS: stage text", () => {
    const r = read("music", data("music-record-info-first.json"));
    expect(r).toMatchObject({ state: "pending", stage: "first", code: null });
    expect(r.files).toHaveLength(2);
    const text = read("music", { ...(data("music-record-info-first.json") as object), status: "TEXT_SUCCESS", response: null });
    expect(text).toMatchObject({ state: "pending", stage: "text", files: [] });
  });

  it.each([
    ["PENDING", "pending"],
    ["CREATE_TASK_FAILED", "failed"],
    ["GENERATE_AUDIO_FAILED", "failed"],
    ["SENSITIVE_WORD_ERROR", "failed"],
  ] as const)("music %s → %s", (status, state) => {
    expect(read("music", { taskId: "m", status }).state).toBe(state);
  });

  it("music failures keep the record's code and message; SUCCESS without a track is refused", () => {
    expect(read("music", data("music-record-info-failed.json"))).toMatchObject({
      state: "failed",
      code: 400,
      message: "The prompt contains sensitive words",
      files: [],
      stage: null,
    });
    expect(() => read("music", { taskId: "m", status: "SUCCESS", response: { sunoData: [] } })).toThrow(RecordError);
    expect(RECORD_INFO.music.schema.safeParse({ taskId: "m", status: "GENERATING" }).success).toBe(false);
  });

  it("lyrics SUCCESS: the variants", () => {
    const r = read("lyrics", data("lyrics-record-info-success.json"));
    expect(r).toMatchObject({
      kind: "lyrics",
      state: "succeeded",
      lyrics: [{ title: "Iron Man", status: "complete", errorMessage: null }],
    });
    expect(read("lyrics", { taskId: "l", status: "GENERATE_LYRICS_FAILED" })).toMatchObject({ state: "failed", lyrics: null });
  });

  it("separation: camelCase stems (null ones skipped), musicId or kie's audioId is the separated track", () => {
    const r = read("separation", data("separation-record-info-success.json"));
    expect(r).toMatchObject({ kind: "separation", state: "succeeded", audioId: T1 });
    expect(r.files.map((f) => f.role)).toEqual(["vocals", "instrumental"]);
    expect(r.completedAt?.toISOString()).toBe("2025-01-01T00:05:00.000Z");
    const kie = read("separation", data("separation-record-info-kie.json"));
    expect(kie.files.map((f) => f.role)).toEqual(["vocals", "drums", "bass", "piano"]);
    expect(kie.audioId).toBe("c3a9e5f1-7b2d-4e8a-b6c4-1d2e3f4a5b6c");
    expect(kie.remoteCreatedAt?.toISOString()).toBe("2025-01-01T00:04:00.000Z");
  });

  it("MIDI: successFlag is an integer, 2 a failure; epoch times; notes as numbers", () => {
    const r = read("midi", data("midi-record-info-success.json"));
    expect(r).toMatchObject({ kind: "midi", state: "succeeded", code: 200, audioId: "e2310a1b-2c3d-4e5f-8a9b-0c1d8cadc7dc" });
    expect(r.midi?.instruments.map((i) => [i.name, i.notes.length])).toEqual([
      ["Drums", 2],
      ["Electric Bass (finger)", 1],
    ]);
    expect(r.completedAt?.toISOString()).toBe("2025-10-13T06:00:55.000Z");
    expect(read("midi", data("midi-record-info-pending.json"))).toMatchObject({ state: "pending", midi: null });
    expect(read("midi", { taskId: "x", successFlag: 2 })).toMatchObject({ state: "failed", message: "The provider reports 2." });
    expect(read("midi", { taskId: "x", successFlag: "3", errorMessage: "no notes" })).toMatchObject({
      state: "failed",
      message: "no notes",
    });
    // Empty notes (after split_stem) are still a success.
    expect(read("midi", { taskId: "x", successFlag: 1, midiData: {} })).toMatchObject({ state: "succeeded", midi: { instruments: [] } });
  });

  it("video: the MP4 URL, musicId is the track", () => {
    expect(read("video", data("video-record-info-success.json"))).toMatchObject({
      kind: "video",
      state: "succeeded",
      audioId: T1,
      files: [{ role: "video", url: "https://file.aiquickdraw.com/s/video_8477a1b2c3d4.mp4", trackId: null }],
    });
    expect(read("video", data("video-record-info-failed.json"))).toMatchObject({
      state: "failed",
      code: 500,
      message: "Video rendering failed",
    });
    expect(() => read("video", { taskId: "v", successFlag: "SUCCESS", response: { videoUrl: null } })).toThrow(RecordError);
  });
});
