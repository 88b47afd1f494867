// The callbacks the provider sends (../shared/spec/suno-api.md §1), every
// variant accepted, normalized into one ProviderResult.
import { z } from "zod";
import type { TaskKind } from "@/lib/core/enums";
import { describeZodError } from "@/lib/server/validation";
import type { ParsedCallback } from "@/lib/core/result";
import { callbackKind } from "@/lib/core/rules";

export const taskIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1-128 letters, digits or _ . : -");

/** The provider's code: an integer, sometimes sent as a numeric string. */
export const providerCodeSchema = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d{1,9}$/)
    .transform(Number),
]);

const remoteUrl = z.string().trim().min(1).max(4096);
// The raw delivery keeps the whole text; the task keeps a readable prefix.
const MAX_MESSAGE = 2_000;
const message = z
  .string()
  .nullish()
  .transform((m) => (m && m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE)}…` : m));

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

const SUCCESS = 200;

export type NamedTaskId = { ok: true; taskId: string | null } | { ok: false; problem: string };

/**
 * The task a callback's data names, read as the parsers apply it: data.taskId
 * or data.task_id, trimmed. A body naming two different tasks under the two
 * spellings names none: it is refused, so that a signature checked against one
 * id can never apply to another (kie.ai signs only the task id).
 */
export function namedTaskId(payload: unknown): NamedTaskId {
  const data = isRecord(payload) && isRecord(payload.data) ? payload.data : null;
  const camel = typeof data?.taskId === "string" ? data.taskId.trim() : null;
  const snake = typeof data?.task_id === "string" ? data.task_id.trim() : null;
  if (camel !== null && snake !== null && camel !== snake) {
    const quoted = (id: string) => JSON.stringify(id.slice(0, 128));
    return { ok: false, problem: `data.taskId (${quoted(camel)}) and data.task_id (${quoted(snake)}) name different tasks` };
  }
  return { ok: true, taskId: camel ?? snake };
}

/** Validates a callback body already parsed from JSON, as the kind the rules tell (lib/core/rules.ts). */
export function parseCallback(payload: unknown, pathKind: TaskKind | null): ParsedCallback {
  const kind = callbackKind(pathKind, payload);
  const named = namedTaskId(payload);
  if (!named.ok) return { ok: false, kind, error: `${named.problem}.`, code: "conflicting_task_ids" };
  if (!kind) {
    return {
      ok: false,
      kind: null,
      error:
        isRecord(payload) && isRecord(payload.data)
          ? "data: neither a cover callback (data.taskId, data.images) nor a WAV callback (data.task_id, data.audioWavUrl)"
          : "data: is required and must be an object",
    };
  }
  return kind === "cover" ? parseCover(payload) : parseWav(payload);
}

function parseCover(payload: unknown): ParsedCallback {
  const parsed = coverCallbackSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, kind: "cover", error: describeZodError(parsed.error) };
  const { code, msg, data } = parsed.data;
  const urls = data.images ?? [];
  if (code === SUCCESS && urls.length === 0) {
    return { ok: false, kind: "cover", error: "data.images: a successful cover callback needs at least one image URL" };
  }
  return {
    ok: true,
    result: {
      kind: "cover",
      taskId: data.taskId,
      state: code === SUCCESS ? "succeeded" : "failed",
      code,
      message: msg ?? null,
      urls: code === SUCCESS ? urls : [],
    },
  };
}

function parseWav(payload: unknown): ParsedCallback {
  const parsed = wavCallbackSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, kind: "wav", error: describeZodError(parsed.error) };
  const { code, msg, data } = parsed.data;
  const url = data.audioWavUrl ?? data.audio_wav_url;
  if (code === SUCCESS && !url) {
    return { ok: false, kind: "wav", error: "data.audioWavUrl: a successful WAV callback needs the WAV URL" };
  }
  return {
    ok: true,
    result: {
      kind: "wav",
      // The refine above guarantees one of the two spellings.
      taskId: (data.task_id ?? data.taskId) as string,
      state: code === SUCCESS ? "succeeded" : "failed",
      code,
      message: msg ?? null,
      urls: code === SUCCESS && url ? [url] : [],
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
