// The single source of truth for stored data. Row types are derived from these
// tables; API shapes are mapped from rows in db/queries.
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  ASSET_ROLES,
  ASSET_STATUSES,
  ASSET_TYPES,
  DELIVERY_VERDICTS,
  DESTINATION_FORMATS,
  MUSIC_STAGES,
  NOTIFICATION_STATUSES,
  SIGNATURE_SCHEMES,
  SIGNATURE_VERDICTS,
  TASK_KINDS,
  TASK_SOURCES,
  TASK_STATUSES,
  TOKEN_SCOPES,
} from "@/lib/core/enums";

const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const tasks = sqliteTable(
  "tasks",
  {
    // Insertion order doubles as the keyset cursor: newest first is id desc.
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id").notNull(),
    kind: text("kind", { enum: TASK_KINDS }).notNull(),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("pending"),
    // A music task's furthest callback stage (text → first → complete); null for other kinds.
    stage: text("stage", { enum: MUSIC_STAGES }),
    code: integer("code"),
    message: text("message"),
    parentTaskId: text("parent_task_id"),
    audioId: text("audio_id"),
    createdAt: timestamp("created_at").notNull().default(nowMs),
    updatedAt: timestamp("updated_at").notNull().default(nowMs),
    completedAt: timestamp("completed_at"),
    lastSource: text("last_source", { enum: TASK_SOURCES }),
    deliveryCount: integer("delivery_count").notNull().default(0),
    lastCallbackAt: timestamp("last_callback_at"),
    // When the provider made the result files; they vanish about 14-15 days later.
    remoteCreatedAt: timestamp("remote_created_at"),
    filesExpireAt: timestamp("files_expire_at"),
    // Polling queue: a pending task is due for a poll at nextPollAt; a worker
    // holds it until pollLeaseUntil so two processes never poll it at once.
    pollCount: integer("poll_count").notNull().default(0),
    lastPolledAt: timestamp("last_polled_at"),
    nextPollAt: timestamp("next_poll_at"),
    pollLeaseUntil: timestamp("poll_lease_until"),
  },
  (t) => [
    uniqueIndex("tasks_task_id_unique").on(t.taskId),
    index("tasks_status_id_idx").on(t.status, t.id),
    index("tasks_kind_status_id_idx").on(t.kind, t.status, t.id),
    // Partial (migration 0014): most tasks have no parent, audio id or poll due, and every
    // read of these indexes names a value; a NULL kept in them only cost each new task's write.
    index("tasks_parent_task_id_idx")
      .on(t.parentTaskId)
      .where(sql`${t.parentTaskId} is not null`),
    // A music task's children made from one of its tracks (WAV, separation, video) name it by audio id.
    index("tasks_audio_id_idx")
      .on(t.audioId)
      .where(sql`${t.audioId} is not null`),
    index("tasks_next_poll_at_idx")
      .on(t.nextPollAt)
      .where(sql`${t.nextPollAt} is not null`),
    // Covers the insights' reads of a window of finished tasks (GET /api/insights).
    index("tasks_completed_insights_idx").on(t.status, t.completedAt, t.kind, t.lastSource, t.code, t.createdAt),
  ],
);

export const assets = sqliteTable(
  "assets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.taskId, { onDelete: "cascade" }),
    type: text("type", { enum: ASSET_TYPES }).notNull(),
    // What the file is to its task (a cover, the WAV, a track's MP3 or art, a stem, the video).
    role: text("role", { enum: ASSET_ROLES }).notNull(),
    // The provider's audio id of the music track the file belongs to; null for other files.
    trackId: text("track_id"),
    position: integer("position").notNull(),
    remoteUrl: text("remote_url").notNull(),
    status: text("status", { enum: ASSET_STATUSES }).notNull().default("pending"),
    bytes: integer("bytes"),
    bytesReceived: integer("bytes_received").notNull().default(0),
    contentType: text("content_type"),
    sha256: text("sha256"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    // Relative to STORAGE_DIR, e.g. "cover/<task>/0.png"; null until stored.
    storagePath: text("storage_path"),
    // Download queue: due at nextAttemptAt, held by one worker until leaseUntil.
    // The claim token names that worker: every write of a claimed download is
    // fenced by it, so a worker that lost its claim (lease ran out, or a
    // re-download was asked for) can never overwrite a newer one.
    nextAttemptAt: timestamp("next_attempt_at"),
    leaseUntil: timestamp("lease_until"),
    claimToken: text("claim_token"),
    createdAt: timestamp("created_at").notNull().default(nowMs),
    updatedAt: timestamp("updated_at").notNull().default(nowMs),
    storedAt: timestamp("stored_at"),
    // A small image made once when a cover is stored (storage key), and a WAV's
    // peaks measured while it streamed in (JSON: peaks, durationSeconds, sampleRate, channels).
    thumbnailPath: text("thumbnail_path"),
    // When making the thumbnail last failed (a cover sharp cannot or must not read): not tried again for a long while.
    thumbnailFailedAt: timestamp("thumbnail_failed_at"),
    waveform: text("waveform"),
    // When the stored copy was deleted, and why (e.g. FILE_RETENTION_DAYS).
    removedAt: timestamp("removed_at"),
    removedReason: text("removed_reason"),
  },
  (t) => [
    uniqueIndex("assets_task_position_unique").on(t.taskId, t.position),
    index("assets_status_next_attempt_idx").on(t.status, t.nextAttemptAt),
    // Partial (migration 0014): a file not stored yet has no place in it.
    index("assets_status_stored_at_idx")
      .on(t.status, t.storedAt)
      .where(sql`${t.storedAt} is not null`),
  ],
);

/** A music task's tracks, as its latest callback or poll listed them (the files are assets). */
export const tracks = sqliteTable(
  "tracks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.taskId, { onDelete: "cascade" }),
    // The provider's audio id: what WAV, cover, separation and video submissions take as audioId.
    trackId: text("track_id").notNull(),
    position: integer("position").notNull(),
    title: text("title"),
    tags: text("tags"),
    prompt: text("prompt"),
    modelName: text("model_name"),
    duration: real("duration"),
    // As the provider wrote it ("YYYY-MM-DD HH:MM:SS"), or ISO when it was readable as a time.
    createTime: text("create_time"),
  },
  (t) => [uniqueIndex("tracks_task_track_unique").on(t.taskId, t.trackId), index("tracks_track_id_idx").on(t.trackId)],
);

/**
 * What a task produced that is not a file: a lyrics task's variants and a MIDI
 * task's notes (JSON, numbers as numbers). Apart from tasks so that lists never read them.
 */
export const outputs = sqliteTable("outputs", {
  taskId: text("task_id")
    .primaryKey()
    .references(() => tasks.taskId, { onDelete: "cascade" }),
  // JSON: [{title, text, status, errorMessage}].
  lyrics: text("lyrics"),
  // JSON: {instruments: [{name, notes: [{pitch, start, end, velocity}]}]}.
  midi: text("midi"),
});

export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receivedAt: timestamp("received_at").notNull(),
    // The kind fixed by the path, or told from the payload; null when neither could.
    kind: text("kind", { enum: TASK_KINDS }),
    taskId: text("task_id"),
    verdict: text("verdict", { enum: DELIVERY_VERDICTS }).notNull(),
    error: text("error"),
    body: text("body").notNull(),
    // JSON object of the request headers, secrets redacted.
    headers: text("headers").notNull(),
    remoteAddress: text("remote_address"),
    path: text("path").notNull(),
    // The kind fixed by the receiving path (/api/callbacks/<kind>); null for /api/callbacks.
    pathKind: text("path_kind", { enum: TASK_KINDS }),
    // The provider's signature on this delivery (CALLBACK_SIGNING_KEY), and by which scheme.
    signature: text("signature", { enum: SIGNATURE_VERDICTS }),
    signatureScheme: text("signature_scheme", { enum: SIGNATURE_SCHEMES }),
    // When DELIVERY_RETENTION_DAYS removed the body and headers (the row stays).
    prunedAt: timestamp("pruned_at"),
  },
  (t) => [
    index("deliveries_task_id_idx").on(t.taskId),
    index("deliveries_verdict_id_idx").on(t.verdict, t.id),
    // Callbacks per hour (insights) and the doctor's "last callback".
    index("deliveries_received_at_idx").on(t.receivedAt),
  ],
);

/**
 * How far the trigram index of raw bodies (deliveries_fts, migration 0005) has
 * got: every delivery up to `indexed_through` is in it, later ones are not yet
 * (db/search-index.ts indexes them off the callback's commit). One row.
 */
export const searchIndex = sqliteTable("search_index", {
  id: integer("id").primaryKey(),
  indexedThrough: integer("indexed_through").notNull(),
});

export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.taskId, { onDelete: "cascade" }),
    at: timestamp("at").notNull(),
    type: text("type").notNull(),
    detail: text("detail"),
  },
  (t) => [index("events_task_id_idx").on(t.taskId, t.id)],
);

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * The provider's rate-limit window, shared by every instance on this database:
 * one row per request, from when it was sent until its answer (endedAt).
 */
export const providerRequests = sqliteTable(
  "provider_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    startedAt: timestamp("started_at").notNull(),
    endedAt: timestamp("ended_at"),
  },
  (t) => [index("provider_requests_ended_at_idx").on(t.endedAt)],
);

/**
 * Login sessions (with DASHBOARD_PASSWORD set). The cookie carries a random id
 * signed with the install's own secret; only the id's SHA-256 is kept here, so
 * deleting the row (logout, "log out everywhere") ends the session at once.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    createdAt: timestamp("created_at").notNull(),
    lastSeenAt: timestamp("last_seen_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    // HMAC of the password the session was opened with: a new password ends it.
    passwordTag: text("password_tag").notNull(),
    userAgent: text("user_agent"),
    remoteAddress: text("remote_address"),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt)],
);

/**
 * Failed logins per key (a client address, a device cookie, or all untrusted
 * clients together), so guessing stays slow on every instance alike.
 */
export const loginFailures = sqliteTable("login_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: timestamp("window_start").notNull(),
  lockedUntil: timestamp("locked_until"),
});

/**
 * API tokens for scripts (`Authorization: Bearer sk_…`). Only the token's
 * SHA-256 is kept: the proxy finds a token by it (one indexed read per
 * request), and deleting the row revokes it at once on every instance.
 */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    scope: text("scope", { enum: TOKEN_SCOPES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
    // A hint for people, written at most once a minute per token.
    lastUsedAt: timestamp("last_used_at"),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_unique").on(t.tokenHash)],
);

/** Where notifications go (managed on the setup page and by /api/destinations). */
export const destinations = sqliteTable("destinations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name"),
  url: text("url").notNull(),
  format: text("format", { enum: DESTINATION_FORMATS }).notNull(),
  // JSON array of NotifyEvent.
  events: text("events").notNull(),
  // Standard Webhooks secret (whsec_…) of a `webhook` destination.
  secret: text("secret"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * The outbox: one row per event and destination, sent by the worker like a
 * download (due time, lease, claim token), retried with backoff. `messageId`
 * is the webhook-id, the same on every retry; `dedupeKey` keeps one event
 * from being queued twice for a destination.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    destinationId: integer("destination_id")
      .notNull()
      .references(() => destinations.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    event: text("event").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    taskId: text("task_id"),
    // The JSON body as first built, so every retry sends the same event.
    payload: text("payload").notNull(),
    status: text("status", { enum: NOTIFICATION_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at"),
    leaseUntil: timestamp("lease_until"),
    claimToken: text("claim_token"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at").notNull(),
    deliveredAt: timestamp("delivered_at"),
  },
  (t) => [
    uniqueIndex("notifications_destination_dedupe_unique").on(t.destinationId, t.dedupeKey),
    uniqueIndex("notifications_message_id_unique").on(t.messageId),
    index("notifications_status_next_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Every try of a notification: what the destination answered, or why it failed. */
export const notificationAttempts = sqliteTable(
  "notification_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    notificationId: integer("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    destinationId: integer("destination_id").notNull(),
    at: timestamp("at").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
  },
  (t) => [index("notification_attempts_destination_id_idx").on(t.destinationId, t.id)],
);

// The insights' daily roll-ups (GET /api/insights): kept by triggers on tasks,
// deliveries and assets (migration 0009), so every write that changes a task,
// a delivery or a stored file updates them in the same commit, whatever wrote
// it. `day` and `hour` are UTC, as ms since the epoch divided by a day or an hour.
// NOT NULL everywhere, so upserts find their row: a task without a source is
// source "", a failure without a code is code -1 (provider codes are never negative).

/** Finished tasks per day (by completion), kind, outcome, source and code. */
export const insightsOutcomes = sqliteTable(
  "insights_outcomes",
  {
    day: integer("day").notNull(),
    kind: text("kind").notNull(),
    status: text("status").notNull(),
    source: text("source").notNull(),
    code: integer("code").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [uniqueIndex("insights_outcomes_unique").on(t.day, t.kind, t.status, t.source, t.code)],
);

/** Succeeded tasks per day, kind and turnaround (ms, kept to 3 significant digits: a histogram, not a list). */
export const insightsTurnarounds = sqliteTable(
  "insights_turnarounds",
  {
    day: integer("day").notNull(),
    kind: text("kind").notNull(),
    ms: integer("ms").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [uniqueIndex("insights_turnarounds_unique").on(t.day, t.kind, t.ms)],
);

/** Deliveries received per hour. */
export const insightsDeliveries = sqliteTable("insights_deliveries", {
  hour: integer("hour").primaryKey(),
  n: integer("n").notNull(),
});

/** Bytes of files stored per day (by when they were stored; files retention removed since still count). */
export const insightsStoredBytes = sqliteTable("insights_stored_bytes", {
  day: integer("day").primaryKey(),
  bytes: integer("bytes").notNull(),
});

/**
 * Never holds a row: db/client.ts inserts NULL here to abort a libSQL batch
 * whose read-then-write lost a race (the NOT NULL failure rolls the batch back).
 */
export const writeGuard = sqliteTable("write_guard", {
  neverNull: integer("never_null").notNull(),
});

export type TaskRow = typeof tasks.$inferSelect;
export type AssetRow = typeof assets.$inferSelect;
export type TrackRow = typeof tracks.$inferSelect;
export type OutputRow = typeof outputs.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type DestinationRow = typeof destinations.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationAttemptRow = typeof notificationAttempts.$inferSelect;
