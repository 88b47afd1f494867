// The callbacks the provider sends (../shared/spec/suno-api.md §1 for covers
// and WAV files, suno-api-kinds.md for every other kind), every variant
// accepted, normalized into one ProviderResult. A body that names a task but
// no kind known here is kept as a task of kind `other`.
import { z } from "zod";
import type { TaskKind } from "@/lib/core/enums";
import { describeZodError } from "@/lib/server/validation";
import type { ParsedCallback, ProviderResult } from "@/lib/core/result";
import { callbackKind, namedTaskId } from "@/lib/core/rules";
import {
  callbackStemsSchema,
  callbackTrackSchema,
  clippedText,
  fromCallbackTrack,
  lyricsVariantSchema,
  midiDataSchema,
  optionalUrl,
  providerCodeSchema,
  remoteUrl,
  stemFiles,
  taskIdSchema,
  trackResult,
} from "@/lib/provider/shapes";

export { namedTaskId, type NamedTaskId } from "@/lib/core/rules";
export { providerCodeSchema, taskIdSchema } from "@/lib/provider/shapes";

// The raw delivery keeps the whole text; the task keeps a readable prefix.
const message = clippedText(2_000);

const coverCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z.object({
    taskId: taskIdSchema,
    images: z.array(remoteUrl).max(20).nullish(),
  }),
});

const wavCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z
    .object({
      task_id: taskIdSchema.optional(),
      taskId: taskIdSchema.optional(),
      audioWavUrl: remoteUrl.nullish(),
      audio_wav_url: remoteUrl.nullish(),
    })
    .refine((d) => d.task_id ?? d.taskId, { message: "is required", path: ["task_id"] }),
});

const musicCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z.object({
    callbackType: z.enum(["text", "first", "complete", "error"]),
    task_id: taskIdSchema,
    data: z.array(callbackTrackSchema).max(20).nullish(),
    // Replace-section failures say why here (suno-api-kinds.md §2).
    error: clippedText(2_000),
  }),
});

const lyricsCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z.object({
    callbackType: z.string().max(50),
    taskId: taskIdSchema,
    data: z.array(lyricsVariantSchema).max(20).nullish(),
  }),
});

const separationCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z.object({
    task_id: taskIdSchema,
    // sunoapi and kie CN write vocal_removal_info, kie EN vocal_separation_info.
    vocal_removal_info: callbackStemsSchema.nullish(),
    vocal_separation_info: callbackStemsSchema.nullish(),
  }),
});

const midiCallbackSchema = z.object({
  task_id: taskIdSchema,
  code: providerCodeSchema,
  msg: message,
  data: midiDataSchema.nullish(),
});

const videoCallbackSchema = z.object({
  code: providerCodeSchema,
  msg: message,
  data: z.object({ task_id: taskIdSchema, video_url: optionalUrl }),
});

/** What a body of no known kind still says: its code and message, when it has them. */
const otherCallbackSchema = z.object({
  code: providerCodeSchema.nullish().catch(null),
  msg: message.catch(null),
});

const SUCCESS = 200;

/** Validates a callback body already parsed from JSON, as the kind the rules tell (lib/core/rules.ts). */
export function parseCallback(payload: unknown, pathKind: TaskKind | null): ParsedCallback {
  const kind = callbackKind(pathKind, payload);
  const named = namedTaskId(payload);
  if (!named.ok) return { ok: false, kind, error: `${named.problem}.`, code: "conflicting_task_ids" };
  if (!kind) {
    return {
      ok: false,
      kind: null,
      error: isRecord(payload)
        ? "no task id: neither data.taskId, data.task_id nor a top-level task_id names the task this callback is about"
        : "body: must be a JSON object",
    };
  }
  return PARSERS[kind](payload);
}

type Parser = (payload: unknown) => ParsedCallback;

/** Parses `payload` with `schema`, then reads it with `read` (which may still refuse it with a reason). */
function parser<S extends z.ZodType>(kind: TaskKind, schema: S, read: (body: z.infer<S>) => ProviderResult | string): Parser {
  return (payload) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return { ok: false, kind, error: describeZodError(parsed.error) };
    const result = read(parsed.data);
    return typeof result === "string" ? { ok: false, kind, error: result } : { ok: true, result };
  };
}

/** The fields every result has, from the envelope. */
const outcome = (code: number, msg: string | null, succeeded = code === SUCCESS) => ({
  state: succeeded ? ("succeeded" as const) : ("failed" as const),
  code,
  message: msg,
});

const PARSERS: Record<TaskKind, Parser> = {
  cover: parser("cover", coverCallbackSchema, ({ code, msg, data }) => {
    const urls = data.images ?? [];
    if (code === SUCCESS && urls.length === 0) return "data.images: a successful cover callback needs at least one image URL";
    const files = code === SUCCESS ? urls.map((url) => ({ role: "cover" as const, url, trackId: null })) : [];
    return { kind: "cover", taskId: data.taskId, ...outcome(code, msg), files };
  }),

  wav: parser("wav", wavCallbackSchema, ({ code, msg, data }) => {
    const url = data.audioWavUrl ?? data.audio_wav_url;
    if (code === SUCCESS && !url) return "data.audioWavUrl: a successful WAV callback needs the WAV URL";
    return {
      kind: "wav",
      // The refine guarantees one of the two spellings.
      taskId: (data.task_id ?? data.taskId) as string,
      ...outcome(code, msg),
      files: code === SUCCESS && url ? [{ role: "wav", url, trackId: null }] : [],
    };
  }),

  music: parser("music", musicCallbackSchema, ({ code, msg, data }) => {
    const { callbackType: stage, task_id: taskId } = data;
    const message = [msg, data.error].filter(Boolean).join(": ") || null;
    if (stage === "error" || code !== SUCCESS) return { kind: "music", taskId, state: "failed", code, message, files: [], tracks: [] };
    const { tracks, files } = trackResult((data.data ?? []).map(fromCallbackTrack));
    if (stage === "complete" && !files.some((f) => f.role === "track")) {
      return "data.data: a complete music callback needs at least one track with its audio_url";
    }
    return { kind: "music", taskId, state: stage === "complete" ? "succeeded" : "pending", code, message, stage, tracks, files };
  }),

  lyrics: parser("lyrics", lyricsCallbackSchema, ({ code, msg, data }) => {
    const variants = data.data ?? [];
    const failed = data.callbackType === "error" || code !== SUCCESS;
    if (!failed && data.callbackType === "complete" && variants.length === 0) {
      return "data.data: a complete lyrics callback needs at least one variant";
    }
    const state = failed ? "failed" : data.callbackType === "complete" ? "succeeded" : "pending";
    return { kind: "lyrics", taskId: data.taskId, state, code, message: msg, files: [], lyrics: failed ? null : variants };
  }),

  separation: parser("separation", separationCallbackSchema, ({ code, msg, data }) => {
    const files = stemFiles(data.vocal_removal_info ?? data.vocal_separation_info, "snake");
    if (code === SUCCESS && files.length === 0) {
      return "data.vocal_removal_info: a successful separation callback needs at least one stem URL";
    }
    return { kind: "separation", taskId: data.task_id, ...outcome(code, msg), files: code === SUCCESS ? files : [] };
  }),

  midi: parser("midi", midiCallbackSchema, ({ task_id, code, msg, data }) => {
    // A success reports state "complete"; any other state is work still in progress.
    const pending = code === SUCCESS && data?.state !== null && data?.state !== undefined && data.state !== "complete";
    const state = code !== SUCCESS ? "failed" : pending ? "pending" : "succeeded";
    return {
      kind: "midi",
      taskId: task_id,
      state,
      code,
      message: msg,
      files: [],
      midi: state === "succeeded" ? (data?.midi ?? { instruments: [] }) : null,
    };
  }),

  video: parser("video", videoCallbackSchema, ({ code, msg, data }) => {
    if (code === SUCCESS && !data.video_url) return "data.video_url: a successful video callback needs the MP4 URL";
    const files = code === SUCCESS && data.video_url ? [{ role: "video" as const, url: data.video_url, trackId: null }] : [];
    return { kind: "video", taskId: data.task_id, ...outcome(code, msg), files };
  }),

  other: (payload) => {
    const named = namedTaskId(payload);
    const taskId = named.ok && named.taskId ? taskIdSchema.safeParse(named.taskId) : null;
    if (!taskId?.success) {
      return {
        ok: false,
        kind: "other",
        error: taskId ? `task id: ${describeZodError(taskId.error)}` : "no task id: the body names no task to keep it as",
      };
    }
    const { code, msg } = otherCallbackSchema.parse(payload);
    // Without a kind, the provider's code is all there is to tell: 200 succeeded, any other failed.
    const state = code === undefined || code === null ? "pending" : code === SUCCESS ? "succeeded" : "failed";
    return { ok: true, result: { kind: "other", taskId: taskId.data, state, code: code ?? null, message: msg, files: [] } };
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
