// Row → API shape (../shared/spec/http-api.md). Pages and JSON routes share these.
import type { AssetRow, DeliveryRow, EventRow, TaskRow } from "@/db/schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTask(row: TaskRow) {
  return {
    taskId: row.taskId,
    kind: row.kind,
    status: row.status,
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
  };
}

export function toDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
    kind: row.kind,
    taskId: row.taskId,
    verdict: row.verdict,
    error: row.error,
    body: row.body,
    headers: JSON.parse(row.headers) as Record<string, string>,
    remoteAddress: row.remoteAddress,
    path: row.path,
    // Rows stored before signatures were checked were taken on the token alone: unsigned.
    signature: row.signature ?? "unsigned",
    signatureScheme: row.signatureScheme,
  };
}

export function toEvent(row: EventRow) {
  return { id: row.id, at: row.at.toISOString(), type: row.type, detail: row.detail };
}

export type Task = ReturnType<typeof toTask>;
export type Asset = ReturnType<typeof toAsset>;
export type Delivery = ReturnType<typeof toDelivery>;
export type TaskEvent = ReturnType<typeof toEvent>;
export type TaskDetail = { task: Task; assets: Asset[]; deliveries: Delivery[]; events: TaskEvent[] };
export type Page<T> = { items: T[]; nextCursor: string | null };
