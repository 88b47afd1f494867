// The download queue: assets are due at nextAttemptAt and held by one worker
// until leaseUntil. Every write after the claim is fenced by the attempt number
// it claimed, so a worker that lost its lease can never overwrite a newer one.
import "server-only";
import { and, asc, eq, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, events, type AssetRow } from "@/db/schema";

/** What a worker holds after a claim: the row as claimed (attempts already counted). */
export type Claim = Pick<AssetRow, "id" | "taskId" | "type" | "position" | "remoteUrl" | "attempts" | "storagePath">;

/** "image 2" / "the WAV file": how the timeline names one file. */
function assetLabel(asset: Pick<AssetRow, "type" | "position">): string {
  return asset.type === "image" ? `image ${asset.position + 1}` : "the WAV file";
}

const held = (claim: Pick<Claim, "id" | "attempts">) =>
  and(eq(assets.id, claim.id), eq(assets.status, "downloading"), eq(assets.attempts, claim.attempts));

/**
 * Takes up to `limit` due assets for this worker: pending ones whose time has
 * come, and downloading ones whose lease ran out (their worker died). One
 * immediate transaction, so two processes never take the same asset.
 */
export async function claimDueAssets(now: Date, limit: number, leaseUntil: Date): Promise<Claim[]> {
  if (limit <= 0) return [];
  return getDb().transaction(
    (tx) => {
      const due = tx
        .select({ id: assets.id })
        .from(assets)
        .where(
          or(
            and(eq(assets.status, "pending"), lte(assets.nextAttemptAt, now)),
            and(eq(assets.status, "downloading"), lt(assets.leaseUntil, now)),
          ),
        )
        .orderBy(asc(assets.nextAttemptAt), asc(assets.id))
        .limit(limit)
        .all();
      if (due.length === 0) return [];
      const claimed = tx
        .update(assets)
        .set({ status: "downloading", leaseUntil, attempts: sql`${assets.attempts} + 1`, bytesReceived: 0, updatedAt: now })
        .where(
          inArray(
            assets.id,
            due.map((d) => d.id),
          ),
        )
        .returning()
        .all();
      tx.insert(events)
        .values(
          claimed.map((a) => ({
            taskId: a.taskId,
            at: now,
            type: "download_started",
            detail: `downloading ${assetLabel(a)}${a.attempts > 1 ? ` (attempt ${a.attempts})` : ""}`,
          })),
        )
        .run();
      return claimed;
    },
    { behavior: "immediate" },
  );
}

/** Records progress and extends the lease; false when the lease is no longer this worker's. */
export async function reportProgress(
  claim: Claim,
  progress: { bytesReceived: number; bytes: number | null },
  leaseUntil: Date,
  now: Date,
): Promise<boolean> {
  const result = getDb()
    .update(assets)
    .set({ bytesReceived: progress.bytesReceived, bytes: progress.bytes, leaseUntil, updatedAt: now })
    .where(held(claim))
    .run();
  return result.changes > 0;
}

export type StoredFile = { bytes: number; sha256: string; contentType: string; storagePath: string };

/** Marks a claimed asset stored; answers the path of the copy it replaces (to delete), or null when the lease was lost. */
export async function markStored(claim: Claim, file: StoredFile, now: Date): Promise<{ replacedPath: string | null } | null> {
  return getDb().transaction(
    (tx) => {
      const updated = tx
        .update(assets)
        .set({
          ...file,
          status: "stored",
          bytesReceived: file.bytes,
          error: null,
          leaseUntil: null,
          nextAttemptAt: null,
          storedAt: now,
          updatedAt: now,
        })
        .where(held(claim))
        .run();
      if (updated.changes === 0) return null;
      const size = file.bytes >= 1_048_576 ? `${(file.bytes / 1_048_576).toFixed(1)} MiB` : `${file.bytes} bytes`;
      tx.insert(events)
        .values({
          taskId: claim.taskId,
          at: now,
          type: "download_stored",
          detail: `stored ${assetLabel(claim)} (${size}, ${file.contentType}, sha256 ${file.sha256.slice(0, 12)}…)`,
        })
        .run();
      const replaced = claim.storagePath && claim.storagePath !== file.storagePath ? claim.storagePath : null;
      return { replacedPath: replaced };
    },
    { behavior: "immediate" },
  );
}

export type Failure = {
  error: string;
  /** When to try again (transient failure), or null when the failure is final. */
  retryAt: Date | null;
  /** A final failure of a re-download whose earlier copy is still on disk: keep serving that copy. */
  keptBytes: number | null;
};

/** Records a failed attempt: back to pending for a retry, or final. False when the lease was lost. */
export async function markFailed(claim: Claim, failure: Failure, now: Date): Promise<boolean> {
  return getDb().transaction(
    (tx) => {
      const status = failure.retryAt ? "pending" : failure.keptBytes !== null ? "stored" : "failed";
      const updated = tx
        .update(assets)
        .set({
          status,
          error: status === "stored" ? `re-download failed: ${failure.error}; the stored copy was kept` : failure.error,
          nextAttemptAt: failure.retryAt,
          leaseUntil: null,
          ...(status === "stored" ? { bytes: failure.keptBytes, bytesReceived: failure.keptBytes ?? 0 } : {}),
          updatedAt: now,
        })
        .where(held(claim))
        .run();
      if (updated.changes === 0) return false;
      const next = failure.retryAt
        ? `; retrying in ${formatDelay(failure.retryAt.getTime() - now.getTime())}`
        : status === "stored"
          ? "; keeping the stored copy"
          : "";
      tx.insert(events)
        .values({ taskId: claim.taskId, at: now, type: "download_failed", detail: `${assetLabel(claim)}: ${failure.error}${next}` })
        .run();
      return true;
    },
    { behavior: "immediate" },
  );
}

function formatDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

/**
 * Queues assets for a fresh download (attempts start over), by asset id or for
 * a whole task. Assets being downloaded right now by a live worker are left
 * alone. Answers the task id and how many were queued, or null when nothing matched.
 */
export async function requestDownload(
  target: { assetId: number } | { taskId: string },
  now: Date,
): Promise<{ taskId: string; queued: number; total: number } | null> {
  return getDb().transaction(
    (tx) => {
      const match = "assetId" in target ? eq(assets.id, target.assetId) : eq(assets.taskId, target.taskId);
      const rows = tx
        .select({ id: assets.id, taskId: assets.taskId, status: assets.status, leaseUntil: assets.leaseUntil })
        .from(assets)
        .where(match)
        .all();
      if (rows.length === 0) return null;
      const taskId = rows[0]!.taskId;
      const busy = (r: (typeof rows)[number]) => r.status === "downloading" && r.leaseUntil !== null && r.leaseUntil >= now;
      const ids = rows.filter((r) => !busy(r)).map((r) => r.id);
      if (ids.length > 0) {
        tx.update(assets)
          .set({ status: "pending", attempts: 0, error: null, bytesReceived: 0, nextAttemptAt: now, leaseUntil: null, updatedAt: now })
          .where(and(inArray(assets.id, ids), or(ne(assets.status, "downloading"), isNull(assets.leaseUntil), lt(assets.leaseUntil, now))))
          .run();
        tx.insert(events)
          .values({
            taskId,
            at: now,
            type: "download_requested",
            detail: `re-download of ${ids.length} file${ids.length === 1 ? "" : "s"} requested`,
          })
          .run();
      }
      return { taskId, queued: ids.length, total: rows.length };
    },
    { behavior: "immediate" },
  );
}

/** One asset row, for serving its file. */
export async function getAssetRow(id: number): Promise<AssetRow | null> {
  return getDb().select().from(assets).where(eq(assets.id, id)).get() ?? null;
}
