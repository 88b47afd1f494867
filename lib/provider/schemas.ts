// The answers of the provider's endpoints (../shared/spec/suno-api.md §2 and
// suno-api-kinds.md), every variant accepted: numeric or string successFlag,
// `status` instead of `successFlag`, `audioWavUrl` or `audio_wav_url`, ISO,
// zone-less UTC or epoch times. Each kind's record-info answer becomes the same
// ProviderResult its callback does.
import { z } from "zod";
import type { MusicStage, TaskKind } from "@/lib/core/enums";
import type { ProviderResult, ResultFile } from "@/lib/core/result";
import {
  fromRecordTrack,
  lyricsVariantSchema,
  midiDataSchema,
  optionalUrl,
  providerCodeSchema,
  providerTimeSchema,
  recordStemsSchema,
  recordTrackSchema,
  remoteUrl,
  stemFiles,
  taskIdSchema,
  trackResult,
} from "@/lib/provider/shapes";

export { providerTimeSchema } from "@/lib/provider/shapes";

/** Every answer: `{ code, msg, data }`; `data` is read per endpoint. */
export const envelopeSchema = z.object({
  code: providerCodeSchema,
  msg: z.string().max(10_000).nullish(),
  data: z.unknown().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** Generate cover / convert to WAV: the new task's id (also sent with "already exists"). */
export const taskIdDataSchema = z.object({ taskId: taskIdSchema });

/** Remaining credits: an integer (some copies send it as a numeric string). */
export const creditDataSchema = providerCodeSchema;

const errorCode = providerCodeSchema.nullish();
const errorMessage = z.string().max(10_000).nullish();

/** What a successFlag/status says, whichever spelling; music also says how far it came. */
type Flag = { state: "pending" | "succeeded" | "failed" | "callback_exception"; stage?: MusicStage };

const PENDING: Flag = { state: "pending" };
const SUCCEEDED: Flag = { state: "succeeded" };
const FAILED: Flag = { state: "failed" };
const CALLBACK_EXCEPTION: Flag = { state: "callback_exception" };

/** Each kind's status values (suno-api-kinds.md); covers and WAV files share theirs. */
const COVER_WAV_FLAGS: Record<string, Flag> = {
  "0": PENDING,
  "1": SUCCEEDED,
  "2": PENDING, // generating
  "3": FAILED,
  PENDING,
  GENERATING: PENDING,
  SUCCESS: SUCCEEDED,
  CREATE_TASK_FAILED: FAILED,
  GENERATE_COVER_FAILED: FAILED,
  GENERATE_WAV_FAILED: FAILED,
  CALLBACK_EXCEPTION,
};
const MUSIC_FLAGS: Record<string, Flag> = {
  PENDING,
  TEXT_SUCCESS: { state: "pending", stage: "text" },
  FIRST_SUCCESS: { state: "pending", stage: "first" },
  SUCCESS: { state: "succeeded", stage: "complete" },
  CREATE_TASK_FAILED: FAILED,
  GENERATE_AUDIO_FAILED: FAILED,
  SENSITIVE_WORD_ERROR: FAILED,
  CALLBACK_EXCEPTION,
};
const LYRICS_FLAGS: Record<string, Flag> = {
  PENDING,
  SUCCESS: SUCCEEDED,
  CREATE_TASK_FAILED: FAILED,
  GENERATE_LYRICS_FAILED: FAILED,
  SENSITIVE_WORD_ERROR: FAILED,
  CALLBACK_EXCEPTION,
};
const SEPARATION_FLAGS: Record<string, Flag> = {
  PENDING,
  SUCCESS: SUCCEEDED,
  CREATE_TASK_FAILED: FAILED,
  GENERATE_AUDIO_FAILED: FAILED,
  CALLBACK_EXCEPTION,
};
/** MIDI's successFlag is an integer, and 2 is a failure here (to create the task), not "generating". */
const MIDI_FLAGS: Record<string, Flag> = { "0": PENDING, "1": SUCCEEDED, "2": FAILED, "3": FAILED };
const VIDEO_FLAGS: Record<string, Flag> = {
  PENDING,
  SUCCESS: SUCCEEDED,
  CREATE_TASK_FAILED: FAILED,
  GENERATE_MP4_FAILED: FAILED,
  CALLBACK_EXCEPTION,
};

const flagSchema = (flags: Record<string, Flag>) =>
  z
    .union([z.number().int(), z.string().trim()])
    .transform((v) => String(v).toUpperCase())
    .refine((v) => Object.hasOwn(flags, v), { message: `must be one of ${Object.keys(flags).join(", ")}` })
    .transform((v) => ({ raw: v, ...flags[v]! }));

const coverWavFlag = flagSchema(COVER_WAV_FLAGS);

export const coverRecordSchema = z.object({
  taskId: taskIdSchema,
  parentTaskId: taskIdSchema.nullish(),
  callbackUrl: z.string().nullish(),
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: z.object({ images: z.array(remoteUrl).max(20).nullish() }).nullish(),
  successFlag: coverWavFlag,
  errorCode,
  errorMessage,
});

export const wavRecordSchema = z
  .object({
    taskId: taskIdSchema,
    musicId: taskIdSchema.nullish(),
    callbackUrl: z.string().nullish(),
    createTime: providerTimeSchema,
    completeTime: providerTimeSchema,
    response: z.object({ audioWavUrl: remoteUrl.nullish(), audio_wav_url: remoteUrl.nullish() }).nullish(),
    successFlag: coverWavFlag.optional(),
    status: coverWavFlag.optional(),
    errorCode,
    errorMessage,
  })
  .refine((d) => d.successFlag ?? d.status, { message: "is required (or status)", path: ["successFlag"] });

/** GET /api/v1/generate/record-info: the music family (and replace-section). */
export const musicRecordSchema = z.object({
  taskId: taskIdSchema,
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: z.object({ sunoData: z.array(recordTrackSchema).max(20).nullish() }).nullish(),
  status: flagSchema(MUSIC_FLAGS),
  errorCode,
  errorMessage,
});

/** GET /api/v1/lyrics/record-info. */
export const lyricsRecordSchema = z.object({
  taskId: taskIdSchema,
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: z.object({ data: z.array(lyricsVariantSchema).max(20).nullish() }).nullish(),
  status: flagSchema(LYRICS_FLAGS),
  errorCode,
  errorMessage,
});

/** GET /api/v1/vocal-removal/record-info: `musicId` (kie: `audioId`) is the separated track. */
export const separationRecordSchema = z.object({
  taskId: taskIdSchema,
  musicId: taskIdSchema.nullish(),
  audioId: taskIdSchema.nullish(),
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: recordStemsSchema.nullish(),
  successFlag: flagSchema(SEPARATION_FLAGS),
  errorCode,
  errorMessage,
});

/** GET /api/v1/midi/record-info: `audioId` is the stem it was made from, when one was named. */
export const midiRecordSchema = z.object({
  taskId: taskIdSchema,
  audioId: taskIdSchema.nullish(),
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  // Empty ({} or null) when the separation was split_stem (sunoapi note).
  midiData: midiDataSchema.nullish(),
  successFlag: flagSchema(MIDI_FLAGS),
  errorCode,
  errorMessage,
});

/** GET /api/v1/mp4/record-info: `musicId` is the track the video shows. */
export const videoRecordSchema = z.object({
  taskId: taskIdSchema,
  musicId: taskIdSchema.nullish(),
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: z.object({ videoUrl: optionalUrl }).nullish(),
  successFlag: flagSchema(VIDEO_FLAGS),
  errorCode,
  errorMessage,
});

export type CoverRecord = z.infer<typeof coverRecordSchema>;
export type WavRecord = z.infer<typeof wavRecordSchema>;

/** Thrown when a record contradicts itself (e.g. success without files). */
export class RecordError extends Error {}

type Common = {
  taskId: string;
  createTime?: Date | null;
  completeTime?: Date | null;
  errorCode?: number | null;
  errorMessage?: string | null;
};

/** What a record brought beside its state: files, and whatever its kind keeps. */
type Outcome = {
  files: ResultFile[];
  kept?: Partial<Pick<ProviderResult, "tracks" | "parentTaskId" | "audioId">>;
  /** Whether the record holds a result at all: CALLBACK_EXCEPTION is a success with one, a failure without. */
  complete: boolean;
  /** What a success without a result lacks, for the error. */
  lacking: string;
};

function toResult(kind: TaskKind, { raw, state: flagged, stage }: Flag & { raw: string }, record: Common, got: Outcome): ProviderResult {
  // CALLBACK_EXCEPTION: the work was done but the provider could not deliver
  // its callback; with a result it is a success all the same.
  const state = flagged === "callback_exception" ? (got.complete ? "succeeded" : "failed") : flagged;
  if (state === "succeeded" && !got.complete) throw new RecordError(`the provider says ${raw} but lists no ${got.lacking}`);
  const message = record.errorMessage?.trim() || null;
  return {
    kind,
    taskId: record.taskId,
    state,
    // The record's errorCode; a success without one reads as 200, like its callback.
    code: record.errorCode ?? (state === "succeeded" ? 200 : null),
    message: state === "failed" ? (message ?? `The provider reports ${raw}.`) : message,
    files: state === "succeeded" || stage === "first" ? got.files : [],
    ...(kind === "music" ? { stage: state === "succeeded" ? "complete" : (stage ?? null) } : {}),
    ...got.kept,
    remoteCreatedAt: record.createTime ?? null,
    completedAt: state === "pending" ? null : (record.completeTime ?? null),
  };
}

const fileList = (role: ResultFile["role"], urls: (string | null | undefined)[]): ResultFile[] =>
  urls.flatMap((url) => (url ? [{ role, url, trackId: null }] : []));

export function coverRecordToResult(record: CoverRecord): ProviderResult {
  const files = fileList("cover", record.response?.images ?? []);
  return toResult("cover", record.successFlag, record, {
    files,
    complete: files.length > 0,
    lacking: "images",
    kept: { parentTaskId: record.parentTaskId ?? null, audioId: null },
  });
}

export function wavRecordToResult(record: WavRecord): ProviderResult {
  const files = fileList("wav", [record.response?.audioWavUrl ?? record.response?.audio_wav_url]);
  // The refine guarantees one of the two spellings; musicId is the source track: the audioId the conversion was asked for.
  return toResult("wav", (record.successFlag ?? record.status)!, record, {
    files,
    complete: files.length > 0,
    lacking: "WAV URL",
    kept: { parentTaskId: null, audioId: record.musicId ?? null },
  });
}

export function musicRecordToResult(record: z.infer<typeof musicRecordSchema>): ProviderResult {
  const { tracks, files } = trackResult((record.response?.sunoData ?? []).map(fromRecordTrack));
  return toResult("music", record.status, record, {
    files,
    kept: { tracks },
    complete: files.some((f) => f.role === "track"),
    lacking: "track with its audioUrl",
  });
}

export function lyricsRecordToResult(record: z.infer<typeof lyricsRecordSchema>): ProviderResult {
  const lyrics = record.response?.data ?? [];
  const result = toResult("lyrics", record.status, record, { files: [], complete: lyrics.length > 0, lacking: "lyrics" });
  return { ...result, lyrics: result.state === "succeeded" ? lyrics : null };
}

export function separationRecordToResult(record: z.infer<typeof separationRecordSchema>): ProviderResult {
  const files = stemFiles(record.response, "camel");
  return toResult("separation", record.successFlag, record, {
    files,
    complete: files.length > 0,
    lacking: "stem URL",
    kept: { audioId: record.audioId ?? record.musicId ?? null },
  });
}

export function midiRecordToResult(record: z.infer<typeof midiRecordSchema>): ProviderResult {
  // Notes may be empty (split_stem): a success all the same.
  const midi = record.midiData?.midi ?? { instruments: [] };
  const result = toResult("midi", record.successFlag, record, {
    files: [],
    kept: { audioId: record.audioId ?? null },
    complete: true,
    lacking: "notes",
  });
  return { ...result, midi: result.state === "succeeded" ? midi : null };
}

export function videoRecordToResult(record: z.infer<typeof videoRecordSchema>): ProviderResult {
  const files = fileList("video", [record.response?.videoUrl]);
  return toResult("video", record.successFlag, record, {
    files,
    complete: files.length > 0,
    lacking: "video URL",
    kept: { audioId: record.musicId ?? null },
  });
}

/** Each kind's record-info endpoint, its answer's schema and how it reads as a result. `other` has none. */
export const RECORD_INFO = {
  cover: { path: "/api/v1/suno/cover/record-info", schema: coverRecordSchema, toResult: coverRecordToResult },
  wav: { path: "/api/v1/wav/record-info", schema: wavRecordSchema, toResult: wavRecordToResult },
  music: { path: "/api/v1/generate/record-info", schema: musicRecordSchema, toResult: musicRecordToResult },
  lyrics: { path: "/api/v1/lyrics/record-info", schema: lyricsRecordSchema, toResult: lyricsRecordToResult },
  separation: { path: "/api/v1/vocal-removal/record-info", schema: separationRecordSchema, toResult: separationRecordToResult },
  midi: { path: "/api/v1/midi/record-info", schema: midiRecordSchema, toResult: midiRecordToResult },
  video: { path: "/api/v1/mp4/record-info", schema: videoRecordSchema, toResult: videoRecordToResult },
} as const satisfies Record<Exclude<TaskKind, "other">, { path: string; schema: z.ZodType; toResult: (record: never) => ProviderResult }>;

export type PolledKind = keyof typeof RECORD_INFO;
export const isPolledKind = (kind: TaskKind): kind is PolledKind => Object.hasOwn(RECORD_INFO, kind);
