// The values of the database's enumerated text columns, and their types,
// without Drizzle: db/schema.ts builds its tables from them, and code that
// runs in the browser (forms, filters) imports them from here, so no table
// code reaches a page.
export const TASK_KINDS = ["cover", "wav", "music", "lyrics", "separation", "midi", "video", "other"] as const;
/** How far a music task has come (its callbacks' callbackType); null for other kinds. */
export const MUSIC_STAGES = ["text", "first", "complete"] as const;
export const TASK_STATUSES = ["pending", "succeeded", "failed"] as const;
export const TASK_SOURCES = ["callback", "poll", "submit"] as const;
export const ASSET_TYPES = ["image", "audio", "video"] as const;
/** The stems a separation names (its `<stem>_url` fields), in the order they are kept. */
export const STEM_ROLES = [
  "vocals",
  "instrumental",
  "backing_vocals",
  "drums",
  "bass",
  "guitar",
  "keyboard",
  "percussion",
  "strings",
  "synth",
  "fx",
  "brass",
  "woodwinds",
  "piano",
  "origin",
] as const;
/** What a file is to its task: a cover image, the WAV, a music track's MP3 or art, a stem, the video. */
export const ASSET_ROLES = ["cover", "wav", "track", "track-art", ...STEM_ROLES, "video"] as const;
// "removed": the stored copy was deleted on purpose (FILE_RETENTION_DAYS); removedAt/removedReason say when and why.
export const ASSET_STATUSES = ["pending", "downloading", "stored", "failed", "removed"] as const;
export const DELIVERY_VERDICTS = ["accepted", "duplicate", "rejected"] as const;
export const SIGNATURE_VERDICTS = ["verified", "unsigned", "invalid"] as const;
export const SIGNATURE_SCHEMES = ["kie", "standard-webhooks"] as const;
export const DESTINATION_FORMATS = ["webhook", "discord", "slack"] as const;
export const NOTIFY_EVENTS = ["task.succeeded", "task.failed", "task.files_stored", "task.files_at_risk"] as const;
export const NOTIFICATION_STATUSES = ["pending", "sending", "delivered", "failed"] as const;
// API tokens: `read` opens the GET routes, `write` every route but token management.
export const TOKEN_SCOPES = ["read", "write"] as const;

export type TaskKind = (typeof TASK_KINDS)[number];
export type MusicStage = (typeof MUSIC_STAGES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskSource = (typeof TASK_SOURCES)[number];
export type AssetType = (typeof ASSET_TYPES)[number];
export type StemRole = (typeof STEM_ROLES)[number];
export type AssetRole = (typeof ASSET_ROLES)[number];
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export type DeliveryVerdict = (typeof DELIVERY_VERDICTS)[number];
export type SignatureVerdict = (typeof SIGNATURE_VERDICTS)[number];
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export type DestinationFormat = (typeof DESTINATION_FORMATS)[number];
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type TokenScope = (typeof TOKEN_SCOPES)[number];
