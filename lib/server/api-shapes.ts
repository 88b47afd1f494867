// The shapes of the API's JSON answers, as zod schemas for the OpenAPI
// document (lib/server/openapi.ts). The answers themselves are built by the
// modules named beside each shape; the checks at the end make tsc fail when
// one of them changes and its shape here does not. Shapes with an `id` become
// components of the document (#/components/schemas/<id>).
import { z } from "zod";
import type { ApiToken } from "@/db/queries/api-tokens";
import type { Attempt, Destination, DestinationWithSecret } from "@/db/queries/destinations";
import type { Asset, Delivery, Task, TaskDetail, TaskEvent, Track } from "@/db/queries/dto";
import type { Insights } from "@/db/queries/insights";
import type { TaskStats } from "@/db/queries/stats";
import type { TaskListItem } from "@/db/queries/tasks";
import type { BulkReplay } from "@/lib/callbacks/replay-matching";
import {
  ASSET_ROLES,
  ASSET_STATUSES,
  ASSET_TYPES,
  DELIVERY_VERDICTS,
  DESTINATION_FORMATS,
  MUSIC_STAGES,
  NOTIFICATION_STATUSES,
  NOTIFY_EVENTS,
  SIGNATURE_SCHEMES,
  SIGNATURE_VERDICTS,
  TASK_KINDS,
  TASK_SOURCES,
  TASK_STATUSES,
  TOKEN_SCOPES,
} from "@/lib/core/enums";
import type { ProviderStatus } from "@/lib/provider/status";
import type { Health } from "@/lib/server/health";

/** A shape with an id: one named schema of the document (zod's global registry holds the id, beside descriptions). */
const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => schema.meta({ id, description }) as T;

const time = z.string().meta({ format: "date-time", examples: ["2025-01-31T12:00:00.000Z"] });
const count = z.number().int().min(0);
const rowId = z.number().int().positive();

export const taskShape = named(
  "Task",
  z.object({
    taskId: z.string(),
    kind: z.enum(TASK_KINDS),
    status: z.enum(TASK_STATUSES),
    stage: z.enum(MUSIC_STAGES).nullable().meta({ description: "A music task's furthest callback stage; null for other kinds." }),
    code: z.number().int().nullable().meta({ description: "The provider's result code; null while unknown." }),
    message: z.string().nullable(),
    parentTaskId: z.string().nullable(),
    audioId: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
    completedAt: time.nullable(),
    lastSource: z.enum(TASK_SOURCES).nullable(),
    deliveryCount: count,
    pollCount: count,
    lastPolledAt: time.nullable(),
    filesExpireAt: time.nullable().meta({ description: "When the provider deletes the result files." }),
  }),
);

export const assetShape = named(
  "Asset",
  z.object({
    id: rowId,
    taskId: z.string(),
    type: z.enum(ASSET_TYPES),
    role: z.enum(ASSET_ROLES).meta({ description: "What the file is to its task: cover, wav, a track's MP3 or art, a stem, the video." }),
    trackId: z.string().nullable().meta({ description: "The music track (provider audio id) the file belongs to; null for other files." }),
    position: count,
    remoteUrl: z.string(),
    status: z.enum(ASSET_STATUSES),
    bytes: count.nullable(),
    bytesReceived: count,
    contentType: z.string().nullable(),
    sha256: z.string().nullable(),
    attempts: count,
    error: z.string().nullable(),
    fileUrl: z.string().nullable().meta({ description: "The dashboard's path of the stored copy; null until stored." }),
    thumbnailUrl: z.string().nullable(),
    waveformUrl: z.string().nullable(),
    storedAt: time.nullable(),
    removedAt: time.nullable(),
    removedReason: z.string().nullable(),
  }),
);

export const deliveryShape = named(
  "Delivery",
  z.object({
    id: rowId,
    receivedAt: time,
    kind: z.enum(TASK_KINDS).nullable(),
    taskId: z.string().nullable(),
    verdict: z.enum(DELIVERY_VERDICTS),
    error: z.string().nullable(),
    body: z.string().meta({ description: "The raw body (lists carry its first 4 KiB; see bodyTruncated)." }),
    bodyBytes: count,
    bodyTruncated: z.boolean(),
    headers: z.record(z.string(), z.string()).meta({ description: "Request headers; secrets (token, authorization, cookie) redacted." }),
    headersTruncated: z.boolean(),
    remoteAddress: z.string().nullable(),
    path: z.string(),
    signature: z.enum(SIGNATURE_VERDICTS),
    signatureScheme: z.enum(SIGNATURE_SCHEMES).nullable(),
    prunedAt: time.nullable(),
  }),
);

export const eventShape = named("Event", z.object({ id: rowId, at: time, type: z.string(), detail: z.string().nullable() }));

export const trackShape = named(
  "Track",
  z.object({
    trackId: z.string().meta({ description: "The provider's audio id: what WAV, cover, separation and video submissions take." }),
    position: count,
    title: z.string().nullable(),
    tags: z.string().nullable(),
    prompt: z.string().nullable(),
    modelName: z.string().nullable(),
    duration: z.number().nullable().meta({ description: "Seconds." }),
    createTime: z.string().nullable().meta({ description: "ISO when the provider's time was readable, else as written." }),
  }),
);

export const lyricsVariantShape = named(
  "LyricsVariant",
  z.object({ title: z.string().nullable(), text: z.string(), status: z.string().nullable(), errorMessage: z.string().nullable() }),
);

export const midiShape = named(
  "Midi",
  z.object({
    instruments: z.array(
      z.object({
        name: z.string(),
        notes: z.array(
          z.object({
            pitch: z.number(),
            start: z.number().meta({ description: "Seconds." }),
            end: z.number().meta({ description: "Seconds." }),
            velocity: z.number().meta({ description: "0 to 1." }),
          }),
        ),
      }),
    ),
  }),
  "A MIDI task's notes, every value a number.",
);

export const taskDetailShape = named(
  "TaskDetail",
  z.object({
    task: taskShape,
    assets: z.array(assetShape),
    deliveries: z.array(deliveryShape),
    events: z.array(eventShape),
    tracks: z.array(trackShape).meta({ description: "A music task's tracks; [] for other kinds." }),
    lyrics: z.array(lyricsVariantShape).meta({ description: "A lyrics task's variants; [] for other kinds." }),
    midi: midiShape.nullable().meta({ description: "A MIDI task's notes; null for other kinds." }),
    parent: taskShape.nullable().meta({ description: "The task this one was made from." }),
    children: z.array(taskShape).meta({ description: "Tasks made from this one (or from one of its tracks)." }),
  }),
);

const page = <T extends z.ZodType>(items: T) =>
  z.object({ items: z.array(items), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page." }) });

export const taskListItemShape = named(
  "TaskListItem",
  taskShape.extend({
    assetsTotal: count,
    assetsStored: count,
    assetsFailed: count,
    assetsActive: count,
    bytes: count,
    bytesReceived: count,
    thumbnailUrl: z.string().nullable(),
  }),
);
export const taskPageShape = named("TaskPage", page(taskListItemShape));
export const deliveryPageShape = named("DeliveryPage", page(deliveryShape));

const byStatus = z.object(Object.fromEntries(TASK_STATUSES.map((s) => [s, count])) as Record<(typeof TASK_STATUSES)[number], typeof count>);
export const taskStatsShape = named(
  "TaskStats",
  z.object({
    total: count,
    byStatus,
    byKind: z.object(Object.fromEntries(TASK_KINDS.map((k) => [k, count])) as Record<(typeof TASK_KINDS)[number], typeof count>),
    counts: z.object(Object.fromEntries(TASK_KINDS.map((k) => [k, byStatus])) as Record<(typeof TASK_KINDS)[number], typeof byStatus>),
    storedBytes: count,
    storedFiles: count,
  }),
);

const turnaround = z.object({ p50Seconds: z.number().nullable(), p95Seconds: z.number().nullable(), count });
export const insightsShape = named(
  "Insights",
  z.object({
    days: z.number().int(),
    since: time,
    turnaround: z.object(
      Object.fromEntries(TASK_KINDS.map((k) => [k, turnaround])) as Record<(typeof TASK_KINDS)[number], typeof turnaround>,
    ),
    sources: z.object({ callback: count, poll: count }),
    failures: z.array(z.object({ code: z.number().int().nullable(), count })),
    deliveriesPerHour: z.array(z.object({ hour: time, count })),
    storedBytesPerDay: z.array(z.object({ day: z.string().meta({ format: "date" }), bytes: count })),
  }),
);

export const destinationShape = named(
  "Destination",
  z.object({
    id: rowId,
    name: z.string().nullable(),
    url: z.string(),
    format: z.enum(DESTINATION_FORMATS),
    events: z.array(z.enum(NOTIFY_EVENTS)),
    secretHint: z.string().nullable().meta({ description: "`whsec_…` and the secret's last 4 characters (webhook destinations)." }),
    enabled: z.boolean(),
    createdAt: time,
    updatedAt: time,
  }),
);
export const destinationWithSecretShape = named(
  "DestinationWithSecret",
  destinationShape.extend({ secret: z.string().nullable().meta({ description: "The signing secret, shown in this answer only." }) }),
);
export const destinationListShape = z.object({ items: z.array(destinationShape) });

export const attemptShape = named(
  "Attempt",
  z.object({
    id: rowId,
    notificationId: rowId,
    event: z.string(),
    messageId: z.string(),
    at: time,
    statusCode: z.number().int().nullable(),
    durationMs: count,
    error: z.string().nullable(),
    ok: z.boolean(),
    notificationStatus: z.enum(NOTIFICATION_STATUSES),
  }),
);
export const attemptPageShape = named("AttemptPage", page(attemptShape));
export const resendShape = z.object({ id: rowId, status: z.string() });

export const bulkReplayShape = named("BulkReplay", z.object({ replayed: count, accepted: count, rejected: count, skipped: count }));
export const replayShape = z.object({
  outcome: z.object({ verdict: z.enum(DELIVERY_VERDICTS) }),
  delivery: deliveryShape.nullable(),
  task: taskShape.nullable(),
});

export const callbackReceivedShape = named("CallbackReceived", z.object({ status: z.literal("received"), taskId: z.string() }));
export const testCallbackShape = z.object({
  taskId: z.string(),
  status: z.number().int(),
  answer: callbackReceivedShape,
});

export const waveformShape = named(
  "Waveform",
  z.object({
    peaks: z.array(z.number().min(0).max(1)),
    durationSeconds: z.number(),
    sampleRate: z.number().int(),
    channels: z.number().int(),
  }),
);

const probe = { ok: z.boolean(), error: z.string().optional() };
export const healthShape = named(
  "Health",
  z.object({
    ok: z.boolean(),
    database: z.object({ ...probe, driver: z.enum(["better-sqlite3", "libsql"]) }),
    storage: z.object({ ...probe, driver: z.enum(["local", "s3"]) }),
    worker: z.enum(["in-process", "cron"]),
    uptimeSeconds: count,
  }),
);
const verdict = z.enum(["ok", "warn", "fail"]);
export const verboseHealthShape = named(
  "VerboseHealth",
  healthShape.extend({
    verdict,
    checks: z.array(z.object({ id: z.string(), title: z.string(), verdict, detail: z.string(), fix: z.string().nullable() })),
  }),
);

export const providerStatusShape = named(
  "ProviderStatus",
  z.object({
    configured: z.boolean(),
    baseUrl: z.string(),
    credits: z.number().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    checkedAt: time.nullable(),
  }),
);

const countsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>);
export const tickShape = named(
  "TickReport",
  z.object({
    downloads: countsOf(["started", "stored", "failed", "retrying", "due"]),
    polls: countsOf(["polled", "due"]),
    notifications: countsOf(["queued", "started", "delivered", "failed", "retrying", "due"]),
    retention: z.object({ deliveriesPruned: count, filesRemoved: count, bytesFreed: count, done: z.boolean() }),
    search: countsOf(["indexed", "behind"]),
    tookMs: count,
  }),
);

export const apiTokenShape = named(
  "ApiToken",
  z.object({ id: rowId, name: z.string(), scope: z.enum(TOKEN_SCOPES), createdAt: time, lastUsedAt: time.nullable() }),
);
export const newApiTokenShape = named(
  "NewApiToken",
  apiTokenShape.extend({ token: z.string().meta({ description: "`sk_…`: shown in this answer only, stored as a hash." }) }),
);
export const apiTokenListShape = z.object({ items: z.array(apiTokenShape) });

export const openApiShape = z.looseObject({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }).loose() });

// What each answer is made by, checked against its shape: an answer that
// changes without its shape fails tsc here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<z.output<typeof taskShape>, Task>>();
same<Same<z.output<typeof assetShape>, Asset>>();
same<Same<z.output<typeof trackShape>, Track>>();
same<Same<z.output<typeof deliveryShape>, Delivery>>();
same<Same<z.output<typeof eventShape>, TaskEvent>>();
same<Same<z.output<typeof taskDetailShape>, TaskDetail>>();
same<Same<z.output<typeof taskListItemShape>, TaskListItem>>();
same<Same<z.output<typeof taskStatsShape>, TaskStats>>();
same<Same<z.output<typeof insightsShape>, Insights>>();
same<Same<z.output<typeof destinationShape>, Destination>>();
same<Same<z.output<typeof destinationWithSecretShape>, DestinationWithSecret>>();
same<Same<z.output<typeof attemptShape>, Attempt>>();
same<Same<z.output<typeof bulkReplayShape>, BulkReplay>>();
same<Same<z.output<typeof healthShape>, Health>>();
same<Same<Omit<z.output<typeof providerStatusShape>, "error">, Omit<ProviderStatus, "error">>>();
same<Same<z.output<typeof apiTokenShape>, ApiToken>>();
