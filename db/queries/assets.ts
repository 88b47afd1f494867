// The download queue: assets are due at nextAttemptAt and held by one worker
// until leaseUntil. Every write after the claim is fenced by the claim's own
// token, so a worker that lost its claim can never overwrite a newer one.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { atomic, getDb, sqlStep, step, writeReturning, type Step } from "@/db/client";
import { assets, events, tasks, type AssetRow } from "@/db/schema";
import { dueFirst, dueNow, type Queue } from "@/db/queries/due-first";
import { AT_RISK_STATUSES, AT_RISK_WINDOW_MS, decideAsset, type AssetDecision, type AssetState } from "@/lib/core/rules";
import { downloadRequestedText, downloadStartedText, type TimelineEntry } from "@/lib/core/timeline";

/**
 * What a worker holds after a claim: the row as claimed (attempts already
 * counted), its claim token, and when it was claimed. The attempt's
 * `download_started` line is written with its first write (a progress report
 * or the outcome), in the same request, dated `claimedAt`: the claim itself is
 * one request. A crash before that write loses the line, never the claim.
 */
export type Claim = Pick<
  AssetRow,
  "id" | "taskId" | "type" | "role" | "trackId" | "position" | "remoteUrl" | "attempts" | "storagePath" | "thumbnailPath" | "leaseUntil"
> & {
  claimToken: string;
  claimedAt: Date;
  /** Whether the download_started line is written. */
  startRecorded: boolean;
  /** The claim's write in flight, if any: the next one waits for it (claimWrite). */
  writing?: Promise<unknown>;
};

/** A claim as the file rules (lib/tasks/rules.ts) read it. */
export const claimState = (claim: Claim): AssetState => ({ ...claim, status: "downloading" });

const held = (claim: Pick<Claim, "id" | "claimToken">) =>
  and(eq(assets.id, claim.id), eq(assets.status, "downloading"), eq(assets.claimToken, claim.claimToken));

/** Holds right after a statement that changed rows: SQLite's changes() of the unit's previous step. */
const changed = sql`changes() > 0`;

/** A timeline event written only if `condition` holds where it runs in its unit. */
function eventIf(condition: SQL, taskId: string, at: Date, { type, detail }: TimelineEntry): Step {
  return sqlStep(
    sql`insert into ${events} (task_id, at, type, detail) select ${taskId}, ${at.getTime()}, ${type}, ${detail} where ${condition}`,
  );
}

/** Files at risk (lib/tasks/rules.ts, fileAtRisk), for a query joining assets to their tasks. */
export const atRisk = (now: Date) =>
  and(
    inArray(assets.status, AT_RISK_STATUSES),
    gt(tasks.filesExpireAt, now),
    lte(tasks.filesExpireAt, new Date(now.getTime() + AT_RISK_WINDOW_MS)),
  );

const DOWNLOADS: Queue = {
  table: assets,
  index: "assets_status_next_attempt_idx",
  id: assets.id,
  status: assets.status,
  nextAttemptAt: assets.nextAttemptAt,
  leaseUntil: assets.leaseUntil,
  waiting: "pending",
  held: "downloading",
};

/** Pending assets whose time has come, and downloading ones whose lease ran out (their worker died). */
export const dueForDownload = (now: Date) => dueNow(DOWNLOADS, now);

/**
 * Takes up to `limit` due assets for this worker: pending ones whose time has
 * come, and downloading ones whose lease ran out (their worker died). One
 * UPDATE … RETURNING, so two workers (or instances) never take the same asset.
 */
export async function claimDueAssets(now: Date, limit: number, leaseUntil: Date): Promise<Claim[]> {
  if (limit <= 0) return [];
  const claimToken = randomUUID();
  const claimed = await writeReturning((w) =>
    w
      .update(assets)
      .set({ status: "downloading", leaseUntil, claimToken, attempts: sql`${assets.attempts} + 1`, bytesReceived: 0, updatedAt: now })
      .where(inArray(assets.id, dueFirst(DOWNLOADS, now, limit)))
      .returning({
        id: assets.id,
        taskId: assets.taskId,
        type: assets.type,
        role: assets.role,
        trackId: assets.trackId,
        position: assets.position,
        remoteUrl: assets.remoteUrl,
        attempts: assets.attempts,
        storagePath: assets.storagePath,
        thumbnailPath: assets.thumbnailPath,
        leaseUntil: assets.leaseUntil,
      }),
  );
  return claimed.map((a) => ({ ...a, claimToken, claimedAt: now, startRecorded: false }));
}

/** The claim's download_started line, unless written already: a step after the claim's fenced update (written only if it changed the row). */
function startSteps(claim: Claim): Step[] {
  if (claim.startRecorded) return [];
  const entry: TimelineEntry = { type: "download_started", detail: downloadStartedText(claim, claim.attempts) };
  return [eventIf(changed, claim.taskId, claim.claimedAt, entry)];
}

/**
 * Runs a write of the claim that starts with its fenced update; answers
 * whether the claim was still held (then its start line is written too). A
 * claim's writes run one at a time: a progress report still in flight when
 * the outcome is written would otherwise write the start line a second time.
 */
function claimWrite(claim: Claim, update: Step, then: Step[] = []): Promise<boolean> {
  const write = async () => {
    const [updated] = await atomic([update, ...startSteps(claim), ...then]);
    const held = updated!.changes > 0;
    if (held) claim.startRecorded = true;
    return held;
  };
  const next = (claim.writing ?? Promise.resolve()).then(write, write);
  claim.writing = next;
  return next;
}

/** Records progress and extends the lease; false when the claim is no longer this worker's. */
export async function reportProgress(
  claim: Claim,
  progress: { bytesReceived: number; bytes: number | null },
  leaseUntil: Date,
  now: Date,
): Promise<boolean> {
  return claimWrite(
    claim,
    step(
      getDb()
        .update(assets)
        .set({ bytesReceived: progress.bytesReceived, bytes: progress.bytes, leaseUntil, updatedAt: now })
        .where(held(claim)),
    ),
  );
}

export type StoredFile = {
  bytes: number;
  sha256: string;
  contentType: string;
  storagePath: string;
  /** Set (or cleared) with the file, so a re-download never keeps the old one's (lib/media/tap.ts). */
  thumbnailPath: string | null;
  thumbnailFailedAt: Date | null;
  waveform: string | null;
};

/** Marks a claimed asset stored, as the rules decided; false when the claim was lost. */
export async function markStored(
  claim: Claim,
  file: StoredFile,
  decision: Extract<AssetDecision, { verdict: "stored" }>,
  now: Date,
): Promise<boolean> {
  return claimWrite(
    claim,
    step(
      getDb()
        .update(assets)
        .set({
          ...file,
          status: "stored",
          bytesReceived: file.bytes,
          error: null,
          leaseUntil: null,
          nextAttemptAt: null,
          claimToken: null,
          storedAt: now,
          updatedAt: now,
        })
        .where(held(claim)),
    ),
    [eventIf(changed, claim.taskId, now, decision.event)],
  );
}

/** Records a failed attempt as the rules decided: back to pending for a retry, or final. False when the claim was lost. */
export async function markFailed(claim: Claim, decision: Extract<AssetDecision, { verdict: "failed" }>, now: Date): Promise<boolean> {
  const { status } = decision;
  return claimWrite(
    claim,
    step(
      getDb()
        .update(assets)
        .set({
          status,
          error: decision.error,
          nextAttemptAt: decision.nextAttemptAt,
          leaseUntil: null,
          // The claim ends here: nothing this worker still has in flight may write again.
          claimToken: null,
          ...(status === "stored" ? { bytes: decision.bytes, bytesReceived: decision.bytes ?? 0 } : {}),
          updatedAt: now,
        })
        .where(held(claim)),
    ),
    [eventIf(changed, claim.taskId, now, decision.event)],
  );
}

/**
 * Queues assets for a fresh download (attempts start over), by asset id or for
 * a whole task. Assets being downloaded right now by a live worker are left
 * alone; any other claim is ended, so its worker can no longer write. Answers
 * the task id and how many were queued, or null when nothing matched.
 */
export async function requestDownload(
  target: { assetId: number } | { taskId: string },
  now: Date,
): Promise<{ taskId: string; queued: number; total: number } | null> {
  const db = getDb();
  const match = "assetId" in target ? eq(assets.id, target.assetId) : eq(assets.taskId, target.taskId);
  const rows = await db.select().from(assets).where(match);
  if (rows.length === 0) return null;
  const taskId = rows[0]!.taskId;
  const ids = rows.filter((r) => decideAsset(r, { via: "requested" }, now).verdict === "queued").map((r) => r.id);
  // The same rule, checked again as it writes: a download claimed meanwhile is left alone.
  const notBusy = or(ne(assets.status, "downloading"), isNull(assets.leaseUntil), lt(assets.leaseUntil, now));
  if (ids.length === 0) return { taskId, queued: 0, total: rows.length };
  const [queued] = await atomic([
    step(
      db
        .update(assets)
        .set({
          status: "pending",
          attempts: 0,
          error: null,
          bytesReceived: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          claimToken: null,
          updatedAt: now,
        })
        .where(and(inArray(assets.id, ids), notBusy)),
    ),
    eventIf(changed, taskId, now, { type: "download_requested", detail: downloadRequestedText(ids.length) }),
  ]);
  return { taskId, queued: queued!.changes, total: rows.length };
}

/** One asset row, for serving its file. */
export async function getAssetRow(id: number): Promise<AssetRow | null> {
  return (await getDb().select().from(assets).where(eq(assets.id, id)).get()) ?? null;
}
