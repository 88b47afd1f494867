// The answers of the provider's endpoints (../shared/spec/suno-api.md §2), every
// variant accepted: numeric or string successFlag, `status` instead of
// `successFlag`, `audioWavUrl` or `audio_wav_url`, ISO or zone-less UTC times.
// Record-info answers become the same ProviderResult a callback does.
import { z } from "zod";
import type { TaskKind } from "@/lib/core/enums";
import { providerCodeSchema, taskIdSchema } from "@/lib/callbacks/schemas";
import type { ProviderResult } from "@/lib/core/result";

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

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 (cover), `YYYY-MM-DD HH:mm:ss` meaning UTC (WAV), or epoch seconds/milliseconds. */
export const providerTimeSchema = z
  .union([
    z
      .number()
      .nonnegative()
      .transform((n) => new Date(n < 1e11 ? n * 1000 : n)),
    z
      .string()
      .trim()
      .regex(DATE_TIME, "must be a date-time like 2025-01-01T00:00:00Z or 2025-01-01 00:00:00")
      .transform((s) => new Date(ZONED.test(s) ? s.replace(" ", "T") : `${s.replace(" ", "T")}Z`)),
  ])
  .refine((d) => !Number.isNaN(d.getTime()), "is not a valid date")
  .nullish();

const remoteUrl = z.string().trim().min(1).max(4096);
const errorCode = providerCodeSchema.nullish();
const errorMessage = z.string().max(10_000).nullish();

/** What a successFlag/status says, whichever spelling. */
type Flag = "pending" | "succeeded" | "failed" | "callback_exception";

const FLAGS: Record<string, Flag> = {
  "0": "pending",
  "1": "succeeded",
  "2": "pending", // generating
  "3": "failed",
  PENDING: "pending",
  GENERATING: "pending",
  SUCCESS: "succeeded",
  CREATE_TASK_FAILED: "failed",
  GENERATE_COVER_FAILED: "failed",
  GENERATE_WAV_FAILED: "failed",
  CALLBACK_EXCEPTION: "callback_exception",
};

const flagSchema = z
  .union([z.number().int(), z.string().trim()])
  .transform((v) => String(v).toUpperCase())
  .refine((v) => v in FLAGS, { message: `must be one of 0, 1, 2, 3, ${Object.keys(FLAGS).slice(4).join(", ")}` })
  .transform((v) => ({ raw: v, flag: FLAGS[v] as Flag }));

export const coverRecordSchema = z.object({
  taskId: taskIdSchema,
  parentTaskId: taskIdSchema.nullish(),
  callbackUrl: z.string().nullish(),
  createTime: providerTimeSchema,
  completeTime: providerTimeSchema,
  response: z.object({ images: z.array(remoteUrl).max(20).nullish() }).nullish(),
  successFlag: flagSchema,
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
    successFlag: flagSchema.optional(),
    status: flagSchema.optional(),
    errorCode,
    errorMessage,
  })
  .refine((d) => d.successFlag ?? d.status, { message: "is required (or status)", path: ["successFlag"] });

export type CoverRecord = z.infer<typeof coverRecordSchema>;
export type WavRecord = z.infer<typeof wavRecordSchema>;

/** Thrown when a record contradicts itself (e.g. success without files). */
export class RecordError extends Error {}

export function coverRecordToResult(record: CoverRecord): ProviderResult {
  return toResult("cover", record.successFlag, record.response?.images ?? [], record, {
    parentTaskId: record.parentTaskId ?? null,
    audioId: null,
  });
}

export function wavRecordToResult(record: WavRecord): ProviderResult {
  const url = record.response?.audioWavUrl ?? record.response?.audio_wav_url;
  // The refine guarantees one of the two spellings.
  const flag = (record.successFlag ?? record.status)!;
  // musicId is the source track: the audioId the conversion was asked for.
  return toResult("wav", flag, url ? [url] : [], record, { parentTaskId: null, audioId: record.musicId ?? null });
}

function toResult(
  kind: TaskKind,
  { raw, flag }: { raw: string; flag: Flag },
  urls: string[],
  record: CoverRecord | WavRecord,
  links: { parentTaskId: string | null; audioId: string | null },
): ProviderResult {
  // CALLBACK_EXCEPTION: the work was done but the provider could not deliver
  // its callback; with a file URL it is a success all the same.
  const state = flag === "callback_exception" ? (urls.length > 0 ? "succeeded" : "failed") : flag;
  if (state === "succeeded" && urls.length === 0) {
    throw new RecordError(`the provider says ${raw} but lists no ${kind === "cover" ? "images" : "WAV URL"}`);
  }
  const message = record.errorMessage?.trim() || null;
  return {
    kind,
    taskId: record.taskId,
    state,
    // The record's errorCode; a success without one reads as 200, like its callback.
    code: record.errorCode ?? (state === "succeeded" ? 200 : null),
    message: state === "failed" ? (message ?? `The provider reports ${raw}.`) : message,
    urls: state === "succeeded" ? urls : [],
    ...links,
    remoteCreatedAt: record.createTime ?? null,
    completedAt: state === "pending" ? null : (record.completeTime ?? null),
  };
}
