// Row → API shape (../shared/spec/http-api.md). Pages and JSON routes share these.
import type { AssetRow, DeliveryRow, EventRow, OutputRow, TaskRow, TrackRow } from "@/db/schema";
import type { LyricsVariant, MidiData } from "@/lib/core/result";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTask(row: TaskRow) {
  return {
    taskId: row.taskId,
    kind: row.kind,
    status: row.status,
    // Music: text, first or complete; null for other kinds.
    stage: row.stage,
    code: row.code,
    message: row.message,
    parentTaskId: row.parentTaskId,
    audioId: row.audioId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: iso(row.completedAt),
    lastSource: row.lastSource,
    deliveryCount: row.deliveryCount,
    pollCount: row.pollCount,
    lastPolledAt: iso(row.lastPolledAt),
    filesExpireAt: iso(row.filesExpireAt),
  };
}

/**
 * A cover's thumbnail: made on storing, or on first request for covers stored
 * before thumbnails existed. The file's sha256 in the URL lets the answer be
 * cached for good, and a re-download (new sha256) changes the URL.
 */
export const thumbnailUrl = (id: number, sha256: string | null) => `/api/assets/${id}/thumbnail?v=${(sha256 ?? "0").slice(0, 16)}`;

export function toAsset(row: AssetRow) {
  return {
    id: row.id,
    taskId: row.taskId,
    type: row.type,
    role: row.role,
    trackId: row.trackId,
    position: row.position,
    remoteUrl: row.remoteUrl,
    status: row.status,
    bytes: row.bytes,
    bytesReceived: row.bytesReceived,
    contentType: row.contentType,
    sha256: row.sha256,
    attempts: row.attempts,
    error: row.error,
    // A stored copy stays served (and linked) while a re-download runs.
    fileUrl: row.storagePath ? `/api/assets/${row.id}/file` : null,
    thumbnailUrl: row.type === "image" && row.storagePath ? thumbnailUrl(row.id, row.sha256) : null,
    waveformUrl: row.waveform ? `/api/assets/${row.id}/waveform` : null,
    storedAt: iso(row.storedAt),
    // Set when the stored copy was deleted on purpose; status "removed" until downloaded again.
    removedAt: iso(row.removedAt),
    removedReason: row.removedReason,
  };
}

/**
 * How much of each body, and of its headers, lists and the task detail carry:
 * bodies reach 1 MiB, and thirty of them made pages of 141 MB. GET
 * /api/deliveries/{id} answers them whole.
 */
export const DELIVERY_PREVIEW_BYTES = 4096;

/** A delivery row whose body may be only its start (`bodyBytes` is the whole body's size). */
export type DeliveryPreviewRow = Omit<DeliveryRow, "body"> & { body: string; bodyBytes: number };

/** The delivery whole. */
export const toDelivery = (row: DeliveryRow) => deliveryOf({ ...row, bodyBytes: Buffer.byteLength(row.body) }, Infinity);

/** The delivery with at most DELIVERY_PREVIEW_BYTES of body and of headers. */
export const toDeliveryPreview = (row: DeliveryPreviewRow) => deliveryOf(row, DELIVERY_PREVIEW_BYTES);

function deliveryOf(row: DeliveryPreviewRow, limit: number) {
  const body = clipUtf8(row.body, limit);
  const headers = clipHeaders(JSON.parse(row.headers) as Record<string, string>, limit);
  return {
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
    kind: row.kind,
    taskId: row.taskId,
    verdict: row.verdict,
    error: row.error,
    body,
    bodyBytes: row.bodyBytes,
    bodyTruncated: Buffer.byteLength(body) < row.bodyBytes,
    headers: headers.kept,
    headersTruncated: headers.truncated,
    remoteAddress: row.remoteAddress,
    path: row.path,
    // Rows stored before signatures were checked were taken on the token alone: unsigned.
    signature: row.signature ?? "unsigned",
    signatureScheme: row.signatureScheme,
    // When DELIVERY_RETENTION_DAYS emptied body and headers.
    prunedAt: iso(row.prunedAt),
  };
}

/** The first `limit` bytes of `text` as UTF-8, never splitting a character. */
function clipUtf8(text: string, limit: number): string {
  if (text.length * 3 <= limit) return text; // fast path: cannot exceed
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= limit) return text;
  let end = limit;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1; // back off continuation bytes
  return bytes.subarray(0, end).toString("utf8");
}

/** Headers in order until `limit` bytes of names and values; the one that crosses it is clipped. */
function clipHeaders(headers: Record<string, string>, limit: number): { kept: Record<string, string>; truncated: boolean } {
  const kept: Record<string, string> = {};
  let room = limit;
  for (const [name, value] of Object.entries(headers)) {
    const size = Buffer.byteLength(name) + Buffer.byteLength(value);
    if (size > room) {
      if (room > Buffer.byteLength(name)) kept[name] = clipUtf8(value, room - Buffer.byteLength(name));
      return { kept, truncated: true };
    }
    kept[name] = value;
    room -= size;
  }
  return { kept, truncated: false };
}

export function toTrack(row: TrackRow) {
  return {
    trackId: row.trackId,
    position: row.position,
    title: row.title,
    tags: row.tags,
    prompt: row.prompt,
    modelName: row.modelName,
    duration: row.duration,
    createTime: row.createTime,
  };
}

/** A lyrics task's variants and a MIDI task's notes, from their stored JSON. */
export function toOutputs(row: Pick<OutputRow, "lyrics" | "midi"> | undefined): { lyrics: LyricsVariant[]; midi: MidiData | null } {
  return {
    lyrics: row?.lyrics ? (JSON.parse(row.lyrics) as LyricsVariant[]) : [],
    midi: row?.midi ? (JSON.parse(row.midi) as MidiData) : null,
  };
}

export function toEvent(row: EventRow) {
  return { id: row.id, at: row.at.toISOString(), type: row.type, detail: row.detail };
}

export type Task = ReturnType<typeof toTask>;
export type Asset = ReturnType<typeof toAsset>;
export type Delivery = ReturnType<typeof deliveryOf>;
export type TaskEvent = ReturnType<typeof toEvent>;
export type Track = ReturnType<typeof toTrack>;
/**
 * The task with its files, newest deliveries and timeline; a music task's
 * tracks, a lyrics task's variants and a MIDI task's notes ([] or null for
 * other kinds); the task it was made from and those made from it.
 */
export type TaskDetail = {
  task: Task;
  assets: Asset[];
  deliveries: Delivery[];
  events: TaskEvent[];
  tracks: Track[];
  lyrics: LyricsVariant[];
  midi: MidiData | null;
  parent: Task | null;
  children: Task[];
};
export type Page<T> = { items: T[]; nextCursor: string | null };
