// A typed client for the provider's endpoints (../shared/spec/suno-api.md §2):
// submitting covers and WAV conversions, every kind's record-info, credits.
// Every call goes through the shared limiter, carries the Bearer key, has a
// time limit, and branches on the body's `code`, not only the HTTP status.
import "server-only";
import type { z } from "zod";
import type { TaskKind } from "@/lib/core/enums";
import { AppError, type ErrorCode } from "@/lib/core/errors";
import { describeZodError } from "@/lib/server/validation";
import {
  creditDataSchema,
  envelopeSchema,
  isPolledKind,
  RECORD_INFO,
  RecordError,
  taskIdDataSchema,
  type Envelope,
} from "@/lib/provider/schemas";
import type { DatabaseRateLimiter } from "./rate-limiter";
import type { ProviderResult } from "@/lib/core/result";

/** How a caller waits for the limiter: manual actions wait briefly, background work keeps slots free for them. */
export type Priority = "manual" | "background";
/** Slots of every window that background work leaves to people clicking buttons. */
export const BACKGROUND_RESERVE = 5;
const PRIORITY = {
  manual: { maxWaitMs: 3_000, reserve: 0 },
  background: { maxWaitMs: 0, reserve: BACKGROUND_RESERVE },
} as const;

type Endpoint = "cover-generate" | "wav-generate" | "record-info" | "credit";

/** A provider answer other than success, or no usable answer at all. */
export class ProviderError extends AppError {
  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    /** The provider's code, when it sent one. */
    readonly providerCode: number | null,
  ) {
    super(status, code, message);
  }
}

/** Our own limiter had no free slot in time: no request was sent. */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterMs: number) {
    super(
      429,
      "rate_limited",
      `The provider allows 20 requests every 10 seconds and that budget is in use; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`,
    );
  }
}

export type SunoClientConfig = {
  baseUrl: string;
  apiKey: string;
  limiter: DatabaseRateLimiter;
  timeoutMs?: number;
};

export type Submitted = {
  taskId: string;
  /** The provider already had this work ("already exists") and answered the existing task. */
  existed: boolean;
  /** The provider's words, for the task's timeline. */
  message: string;
};

export type SunoClient = ReturnType<typeof createSunoClient>;

export function createSunoClient({ baseUrl, apiKey, limiter, timeoutMs = 15_000 }: SunoClientConfig) {
  const base = baseUrl.replace(/\/+$/, "");

  async function call(endpoint: Endpoint, method: "GET" | "POST", path: string, priority: Priority, body?: unknown): Promise<Envelope> {
    const permit = await limiter.acquire(PRIORITY[priority]);
    if (!permit) throw new RateLimitedError(await limiter.msUntilFree(PRIORITY[priority].reserve));
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        cache: "no-store",
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      throw timedOut
        ? new ProviderError(504, "provider_timeout", `The provider did not answer within ${timeoutMs / 1000} s (${base}).`, null)
        : new ProviderError(502, "provider_unreachable", `Could not reach the provider at ${base}: ${reason(error)}.`, null);
    } finally {
      await permit.release();
    }
    const envelope = parseEnvelope(text, response.status);
    if (isRateLimit(endpoint, envelope.code)) await limiter.backOff();
    else await limiter.succeeded();
    return envelope;
  }

  async function submit(endpoint: "cover-generate" | "wav-generate", path: string, body: Record<string, string>): Promise<Submitted> {
    const envelope = await call(endpoint, "POST", path, "manual", body);
    const existing = taskIdDataSchema.safeParse(envelope.data);
    const msg = envelope.msg?.trim() || "";
    if (envelope.code === 200) {
      if (!existing.success) throw badAnswer(`data.taskId is missing (${describeZodError(existing.error)})`);
      return { taskId: existing.data.taskId, existed: false, message: msg || "success" };
    }
    // A repeat answers 400 (cover) or 409 (WAV) with the task that already exists.
    if ((envelope.code === 400 || envelope.code === 409) && existing.success) {
      return { taskId: existing.data.taskId, existed: true, message: msg || "already exists" };
    }
    throw providerError(endpoint, envelope);
  }

  async function record(kind: TaskKind, taskId: string, priority: Priority): Promise<ProviderResult> {
    // The poller never asks about these (lib/provider/poller.ts refuses them first).
    if (!isPolledKind(kind)) throw new AppError(409, "not_pollable", `Task ${taskId} is of no known kind: it has no record-info endpoint.`);
    const endpoint = RECORD_INFO[kind];
    const envelope = await call("record-info", "GET", `${endpoint.path}?taskId=${encodeURIComponent(taskId)}`, priority);
    if (envelope.code !== 200) throw providerError("record-info", envelope);
    if (envelope.data === null || envelope.data === undefined) {
      throw new ProviderError(404, "provider_not_found", `The provider has no record of task ${taskId}.`, envelope.code);
    }
    const parsed = (endpoint.schema as z.ZodType).safeParse(envelope.data);
    if (!parsed.success) throw badAnswer(`data.${describeZodError(parsed.error)}`);
    try {
      return (endpoint.toResult as (record: unknown) => ProviderResult)(parsed.data);
    } catch (error) {
      if (error instanceof RecordError) throw badAnswer(error.message);
      throw error;
    }
  }

  return {
    baseUrl: base,

    /** POST /api/v1/suno/cover/generate: one cover per music task; a repeat answers the existing task. */
    generateCover(input: { musicTaskId: string; callBackUrl: string }): Promise<Submitted> {
      return submit("cover-generate", "/api/v1/suno/cover/generate", { taskId: input.musicTaskId, callBackUrl: input.callBackUrl });
    },

    /** POST /api/v1/wav/generate: one WAV per track; a repeat answers the existing task. */
    generateWav(input: { musicTaskId: string; audioId: string; callBackUrl: string }): Promise<Submitted> {
      return submit("wav-generate", "/api/v1/wav/generate", {
        taskId: input.musicTaskId,
        audioId: input.audioId,
        callBackUrl: input.callBackUrl,
      });
    },

    /** GET …/record-info of the task's kind, as the same ProviderResult a callback gives; 409 not_pollable for `other`. */
    recordInfo(kind: TaskKind, taskId: string, priority: Priority): Promise<ProviderResult> {
      return record(kind, taskId, priority);
    },

    /** GET /api/v1/generate/credit: the remaining credits. */
    async credits(priority: Priority = "manual"): Promise<number> {
      const envelope = await call("credit", "GET", "/api/v1/generate/credit", priority);
      if (envelope.code !== 200) throw providerError("credit", envelope);
      const parsed = creditDataSchema.safeParse(envelope.data);
      if (!parsed.success) throw badAnswer("data: the credit balance must be an integer");
      return parsed.data;
    },
  };
}

/** The envelope, or one made from the HTTP status when the body is not one (e.g. a proxy's error page). */
function parseEnvelope(text: string, httpStatus: number): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  if (httpStatus !== 200) return { code: httpStatus, msg: `HTTP ${httpStatus}`, data: null };
  throw badAnswer("the body is not a {code, msg, data} JSON envelope");
}

function isRateLimit(endpoint: Endpoint, code: number): boolean {
  // On the WAV endpoint 429 means "insufficient credits" and 405 "rate limited".
  if (endpoint === "wav-generate") return code === 405 || code === 430 || code === 408;
  return code === 429 || code === 430 || code === 408;
}

/** Turns a provider code into a clear, typed error; the provider's own words are kept. */
function providerError(endpoint: Endpoint, { code, msg }: Envelope): ProviderError {
  const said = msg?.trim() ? ` The provider said: "${msg.trim()}".` : "";
  const make = (status: number, appCode: ErrorCode, text: string) =>
    new ProviderError(status, appCode, `${text} (code ${code}).${said}`, code);
  if (isRateLimit(endpoint, code))
    return make(429, "rate_limited", "The provider is rate limiting this key; requests are paused for a moment, try again shortly");
  if (code === 401 || code === 403) return make(502, "provider_unauthorized", "The provider rejected the API key: check SUNO_API_KEY");
  if (code === 402 || (endpoint === "wav-generate" && code === 429))
    return make(402, "provider_no_credits", "Not enough credits at the provider: top up the account");
  if (code === 455) return make(503, "provider_maintenance", "The provider is under maintenance: try again later");
  if (code === 404) return make(404, "provider_not_found", "The provider does not know this task or track");
  if (code === 409) return make(409, "provider_conflict", "The provider already has this record");
  if (code === 400 || code === 413 || code === 422) return make(422, "provider_rejected", "The provider rejected the request's parameters");
  return make(502, "provider_error", "The provider failed to handle the request");
}

function badAnswer(what: string): ProviderError {
  return new ProviderError(502, "provider_bad_answer", `The provider's answer could not be understood: ${what}.`, null);
}

function reason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return String(cause);
}
