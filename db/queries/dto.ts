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
    storedAt: iso(row.storedAt),
    // Set when the stored copy was deleted on purpose; status "removed" until downloaded again.
    removedAt: iso(row.removedAt),
    removedReason: row.removedReason,
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
    // When DELIVERY_RETENTION_DAYS emptied body and headers.
    prunedAt: iso(row.prunedAt),
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
