// Downloads of result files into storage. The queue is the assets table (due
// time + lease, db/queries/assets.ts); this module takes due assets, holds
// their leases, sets the time limit and records each outcome. The bytes go
// from the remote server into the storage (a local folder or an S3 bucket,
// lib/storage) on the transfer thread (lib/files/transfers.ts), in constant
// memory, with a size cap, a content check and a sha256 computed as they pass
// (and, by lib/media/tap.ts, a WAV's waveform and a cover's bytes for its
// thumbnail); the file appears under its key only once complete. Transient
// failures are retried with growing delays; permanent ones end with a clear error.
import "server-only";
import {
  claimDueAssets,
  claimState,
  getAssetRow,
  markFailed,
  markStored,
  reportProgress,
  requestDownload,
  type Claim,
} from "@/db/queries/assets";
import type { TaskDetail } from "@/db/queries/dto";
import { getTaskDetail } from "@/db/queries/tasks";
import { env } from "@/lib/core/env";
import { AppError, notFound } from "@/lib/core/errors";
import { asFailure, DownloadFailure } from "@/lib/files/failure";
import type { TransferProgress } from "@/lib/files/transfer";
import { runTransfer } from "@/lib/files/transfers";
import { isOwnSample } from "@/lib/callbacks/samples";
import { drainNotificationsPass } from "@/lib/notifications/send";
import { wakeOrAfterAnswer } from "@/lib/work/lanes";
import { drainRound, newRound, startJobs, type Round } from "@/lib/work/rounds";
import { assetKeyPrefix, storage, type Storage } from "@/lib/storage";
import { processSingleton } from "@/lib/core/registry";
import { storeMediaExtras } from "@/lib/media/extras";
import { decideAsset } from "@/lib/core/rules";

/** Downloads at once per process. */
const CONCURRENCY = 4;
/** A claim is held this long without news; a crashed worker's downloads are taken over after it. */
const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
/** How often progress (bytesReceived) is written while bytes flow. */
const PROGRESS_MS = 500;

/** How one attempt ended: stored, waiting for a retry, failed for good, or taken over by another worker. */
const OUTCOMES = ["stored", "retrying", "failed", "lost"] as const;
type Outcome = (typeof OUTCOMES)[number];

// One count per process, so the concurrency limit holds across bundles.
const downloadSlots = processSingleton("downloads", () => ({ active: 0 }));

/**
 * Takes due downloads (up to the free slots) and starts them; answers how many
 * it started. Never waits for them. Outside a round, a freed slot takes the
 * next due download right away; a round claims again itself.
 */
export async function runDueDownloads(round?: Round<Outcome>): Promise<number> {
  const slots = CONCURRENCY - downloadSlots.active;
  if (slots <= 0) return 0;
  // Reserve the slots before the first await so concurrent calls cannot overbook.
  downloadSlots.active += slots;
  let claims: Claim[] = [];
  try {
    const now = new Date();
    claims = await claimDueAssets(now, slots, new Date(now.getTime() + LEASE_MS));
  } finally {
    downloadSlots.active -= slots - claims.length;
  }
  if (round && claims.length < slots) round.exhausted = true;
  return startJobs(claims, downloadJobs, round);
}

const downloadJobs = {
  run: runDownload,
  release: () => void downloadSlots.active--,
  next: () => runDueDownloads(),
  name: "downloads",
  describe: (claim: Claim) => `asset ${claim.id}`,
};

/** Downloads still running at the deadline get this much longer before the round answers without them. */
const ROUND_GRACE_MS = 10_000;

/**
 * Downloads due work until `deadline`, waiting for what it started (without a
 * long-lived process, nothing else would). A download still running after
 * the grace period goes on while the process lives; if it dies, the lease
 * runs out and the next round takes the download over.
 */
export async function drainDownloads(deadline: number): Promise<{ started: number; stored: number; failed: number; retrying: number }> {
  const round = newRound(OUTCOMES);
  await drainRound(round, runDueDownloads, deadline, ROUND_GRACE_MS);
  const { stored, failed, retrying } = round.tally;
  return { started: round.started, stored, failed, retrying };
}

/** Queues one asset for a fresh download (also when its stored file was deleted); answers its task's detail. */
export async function redownloadAsset(assetId: number): Promise<TaskDetail> {
  const queued = await requestDownload({ assetId }, new Date());
  if (!queued) throw notFound(`No asset with id ${assetId}.`);
  wakeDownloads();
  return (await getTaskDetail(queued.taskId))!;
}

/** Queues every file of a task for a fresh download; answers the task's detail. */
export async function redownloadTask(taskId: string): Promise<TaskDetail> {
  const queued = await requestDownload({ taskId }, new Date());
  if (!queued) {
    if (!(await getTaskDetail(taskId))) throw notFound(`No task with id ${taskId}.`);
    throw new AppError(409, "no_files", `Task ${taskId} has no result files to download.`);
  }
  wakeDownloads();
  return (await getTaskDetail(taskId))!;
}

/**
 * One attempt of one claimed asset, ending in stored, a retry, or a final
 * failure, as lib/tasks/rules.ts decides. The lease is renewed until the
 * outcome is recorded (thumbnail included): a slow step never lets another
 * worker take the download over. An attempt that lost its claim deletes what
 * it wrote that no row names (e.g. its task was deleted meanwhile).
 */
async function runDownload(claim: Claim): Promise<Outcome> {
  const config = env();
  const store = storage();
  const state = claimState(claim);
  const timeoutMs = config.DOWNLOAD_TIMEOUT_SECONDS * 1000;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DownloadFailure(`timed out after ${config.DOWNLOAD_TIMEOUT_SECONDS} s (DOWNLOAD_TIMEOUT_SECONDS)`, false)),
    timeoutMs,
  );
  const progress = trackProgress(claim, () => controller.abort(new DownloadFailure("another worker took this download over", false)));
  /** Storage keys this attempt wrote (its file, its thumbnail). */
  const wrote: string[] = [];
  try {
    const start = decideAsset(state, { via: "claimed" }, new Date());
    if (start.verdict === "give_up") throw new DownloadFailure(start.error, true);
    // What an earlier attempt of this asset left half-written (killed mid-download).
    await store
      .discardPartial(assetKeyPrefix(claim.role, claim.taskId, claim.position))
      .catch((error) => console.error(`[downloads] asset ${claim.id}: discarding partial uploads failed:`, error));
    const job = {
      assetId: claim.id,
      role: claim.role,
      taskId: claim.taskId,
      position: claim.position,
      remoteUrl: claim.remoteUrl,
      maxBytes: config.DOWNLOAD_MAX_BYTES,
      allowPrivate: config.DOWNLOAD_ALLOW_PRIVATE || isOwnSample(claim.remoteUrl),
    };
    const file = await runTransfer(job, controller.signal, progress);
    wrote.push(file.storagePath);
    const extras = await storeMediaExtras(store, file.storagePath, file.media);
    if (extras.thumbnailPath) wrote.push(extras.thumbnailPath);
    const stored = { bytes: file.bytes, sha256: file.sha256, contentType: file.contentType, storagePath: file.storagePath, ...extras };
    const decision = decideAsset(state, { via: "stored", file: stored }, new Date());
    if (!(await markStored(claim, stored, decision, new Date()))) return await lost(claim, store, wrote);
    await removeKeys(claim, store, decision.remove);
    return "stored";
  } catch (thrown) {
    const failure = asFailure(controller.signal.aborted ? controller.signal.reason : thrown);
    const keptBytes = claim.storagePath
      ? await store.stat(claim.storagePath).then(
          (found) => found?.size ?? null,
          () => null,
        )
      : null;
    const decision = decideAsset(
      state,
      { via: "failed", error: failure.message, permanent: failure.permanent, retryAfterMs: failure.retryAfterMs, keptBytes, wrote },
      new Date(),
    );
    if (!(await markFailed(claim, decision, new Date()))) return await lost(claim, store, wrote);
    await removeKeys(claim, store, decision.remove);
    return decision.status === "pending" ? "retrying" : "failed";
  } finally {
    clearTimeout(timer);
    progress.stop();
  }
}

/** After a lost claim: deletes what the attempt wrote that the row (if still there) does not name, nor will. */
async function lost(claim: Claim, store: Storage, wrote: string[]): Promise<"lost"> {
  if (wrote.length === 0) return "lost";
  const row = await getAssetRow(claim.id);
  const { remove } = decideAsset(row ?? undefined, { via: "lost", wrote }, new Date());
  if (remove.length > 0) {
    await removeKeys(claim, store, remove);
    console.warn(
      `[downloads] asset ${claim.id}: the claim was lost (${row ? "taken over" : "its task was deleted"}); removed ${remove.join(", ")}`,
    );
  }
  return "lost";
}

/** Deletes storage keys no row names any more; one that cannot be deleted is logged and left. */
async function removeKeys(claim: Claim, store: Storage, keys: string[]): Promise<void> {
  await Promise.all(
    keys.map((key) => store.remove(key).catch((error) => console.error(`[downloads] asset ${claim.id}: removing ${key} failed:`, error))),
  );
}

type Progress = TransferProgress & { stop: () => void };

/** Writes bytesReceived every PROGRESS_MS while it changes and renews the lease; calls `lost` when the lease is gone. */
function trackProgress(claim: Claim, lost: () => void): Progress {
  let written = { bytes: 0, at: Date.now() };
  let busy = false;
  const timer = setInterval(() => {
    const now = Date.now();
    if (busy || (progress.bytes === written.bytes && now - written.at < RENEW_MS)) return;
    busy = true;
    const bytes = progress.bytes;
    reportProgress(claim, { bytesReceived: bytes, bytes: progress.total }, new Date(now + LEASE_MS), new Date(now))
      .then((held) => {
        written = { bytes, at: now };
        if (!held) lost();
      })
      .catch((error) => console.error(`[downloads] progress of asset ${claim.id}:`, error))
      .finally(() => (busy = false));
  }, PROGRESS_MS);
  timer.unref();
  const progress: Progress = { bytes: 0, total: null, stop: () => clearInterval(timer) };
  return progress;
}

/** How long downloads started after a callback's answer may run (within the route's maxDuration). */
const AFTER_BUDGET_MS = 50_000;
/** Then notifications of what they stored; whatever does not fit waits for the cron tick. */
const NOTIFY_AFTER_MS = 5_000;

/** Starts queued downloads now: on the in-process worker, or after the current answer where there is none. */
export function wakeDownloads(): void {
  // Files stored here may complete a task: without a worker its notifications go out in the same after(), as time allows.
  wakeOrAfterAnswer(
    "downloads",
    (deadline) => drainDownloads(deadline).then(() => drainNotificationsPass(NOTIFY_AFTER_MS)),
    AFTER_BUDGET_MS,
  );
}
