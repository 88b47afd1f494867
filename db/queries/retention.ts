// What DELIVERY_RETENTION_DAYS and FILE_RETENTION_DAYS remove, in small
// batches: each batch is one short write, so callbacks arriving meanwhile
// never wait long for the database.
import "server-only";
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { atomic, getDb, sqlStep, write, writeReturning } from "@/db/client";
import { assets, deliveries, events, settings } from "@/db/schema";
import type { AssetRole, AssetType } from "@/lib/core/enums";
import { fileRemovedText } from "@/lib/core/timeline";

/** Empties body and headers of up to `limit` unpruned deliveries received before `cutoff`; answers how many. */
export async function pruneDeliveries(cutoff: Date, limit: number, now: Date): Promise<number> {
  const db = getDb();
  const oldest = db
    .select({ id: deliveries.id })
    .from(deliveries)
    // Served by the partial index deliveries_unpruned_received_at_idx (migration 0005).
    .where(and(isNull(deliveries.prunedAt), lt(deliveries.receivedAt, cutoff)))
    .orderBy(asc(deliveries.receivedAt))
    .limit(limit);
  const result = await write(
    db
      .update(deliveries)
      .set({ body: "", headers: "{}", prunedAt: now })
      .where(and(inArray(deliveries.id, oldest), isNull(deliveries.prunedAt))),
  );
  return result.changes;
}

export type RemovedFile = {
  id: number;
  taskId: string;
  type: AssetType;
  role: AssetRole;
  trackId: string | null;
  position: number;
  storagePath: string;
  thumbnailPath: string | null;
  bytes: number | null;
};

/**
 * Marks up to `limit` files stored before `cutoff` as removed (status
 * "removed", no storage path, no thumbnail) and answers them, so the caller
 * deletes their objects (the thumbnail too: storage keeps nothing no row
 * names). The mark comes first: the page never links a file already gone,
 * and a file whose row changed meanwhile (a re-download took it) is left alone.
 */
export async function takeExpiredFiles(cutoff: Date, limit: number, now: Date, days: number): Promise<RemovedFile[]> {
  const db = getDb();
  const candidates = await db
    .select({
      id: assets.id,
      taskId: assets.taskId,
      type: assets.type,
      role: assets.role,
      trackId: assets.trackId,
      position: assets.position,
      storagePath: assets.storagePath,
      thumbnailPath: assets.thumbnailPath,
    })
    .from(assets)
    // Served by assets_status_stored_at_idx.
    .where(and(eq(assets.status, "stored"), lt(assets.storedAt, cutoff)))
    .orderBy(asc(assets.storedAt))
    .limit(limit);
  if (candidates.length === 0) return [];
  const removed = await writeReturning((w) =>
    w
      .update(assets)
      .set({
        status: "removed",
        storagePath: null,
        thumbnailPath: null,
        thumbnailFailedAt: null,
        removedAt: now,
        removedReason: "retention",
        error: null,
        nextAttemptAt: null,
        updatedAt: now,
      })
      .where(
        and(
          inArray(
            assets.id,
            candidates.map((c) => c.id),
          ),
          eq(assets.status, "stored"),
          lt(assets.storedAt, cutoff),
        ),
      )
      .returning({ id: assets.id, bytes: assets.bytes }),
  );
  const byId = new Map(removed.map((r) => [r.id, r.bytes]));
  const files = candidates
    .filter((c): c is typeof c & { storagePath: string } => byId.has(c.id) && c.storagePath !== null)
    .map((c) => ({ ...c, bytes: byId.get(c.id) ?? null }));
  if (files.length > 0) {
    // A separate write: a crash right here loses timeline lines, never a mark.
    await write(
      db.insert(events).values(files.map((f) => ({ taskId: f.taskId, at: now, type: "file_removed", detail: fileRemovedText(f, days) }))),
    );
  }
  return files;
}

const LAST_RUN = "retention_last";
const RUN_CLAIM = "retention_run_at";

/** What one retention run removed (kept only when it removed something), for the setup page. */
export type RetentionRun = { at: string; deliveriesPruned: number; filesRemoved: number; bytesFreed: number };

export async function recordRetentionRun(run: RetentionRun): Promise<void> {
  const value = JSON.stringify(run);
  await write(getDb().insert(settings).values({ key: LAST_RUN, value }).onConflictDoUpdate({ target: settings.key, set: { value } }));
}

export async function lastRetentionRun(): Promise<RetentionRun | null> {
  const row = await getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, LAST_RUN)).get();
  return row ? (JSON.parse(row.value) as RetentionRun) : null;
}

/**
 * Takes the next retention run for this caller when the last one (by any
 * process on this database) began at least `everyMs` ago: one conditional
 * upsert, so of several instances only one wins each interval.
 */
export async function claimRetentionRun(now: Date, everyMs: number): Promise<boolean> {
  const at = String(now.getTime());
  const [claimed] = await atomic([
    sqlStep(
      sql`insert into ${settings} (key, value) values (${RUN_CLAIM}, ${at})
          on conflict (key) do update set value = excluded.value
          where cast(${settings.value} as integer) <= ${now.getTime() - everyMs}`,
    ),
  ]);
  return claimed!.changes > 0;
}
