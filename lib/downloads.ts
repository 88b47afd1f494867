// Downloads of result files into storage. The queue is the assets table (due
// time + lease, db/queries/assets.ts); this module takes due assets, streams
// each to a temp file (constant memory, size cap, time limit, content check,
// sha256) and renames it into place. Transient failures are retried with
// growing delays; permanent ones end with a clear error.
import "server-only";
import fs from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { claimDueAssets, markFailed, markStored, reportProgress, requestDownload, type Claim } from "@/db/queries/assets";
import type { TaskDetail } from "@/db/queries/dto";
import { getTaskDetail } from "@/db/queries/tasks";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { hashWhileWriting } from "@/lib/file-hasher";
import { FetchRefused, safeGet } from "@/lib/safe-fetch";
import { describeBytes, EXPECTED, SNIFF_BYTES, sniff, type Sniffed } from "@/lib/sniff";
import { isOwnSample } from "@/lib/samples";
import { wakeDownloads } from "@/lib/worker";
import { assetRelativePath, moveIntoPlace, removeStored, removeTempFiles, storedSize, tempFile } from "@/lib/storage";

/** Downloads at once per process. */
const CONCURRENCY = 4;
/** A claim is held this long without news; a crashed worker's downloads are taken over after it. */
const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
/** Bytes a download may hold in memory while its previous write is in flight. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Written bytes start flushing to disk in steps of this size, so the final sync has little left. */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;
/** How often progress (bytesReceived) is written while bytes flow. */
const PROGRESS_MS = 500;
/** Delay before retry n (after attempt n failed transiently); after the last, the failure is final. */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000, 3_600_000] as const;
const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** A server's Retry-After is honoured up to this long. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** A failed attempt, and whether trying again could help. */
class DownloadFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The server's Retry-After, when it asked for a longer pause than the usual delay. */
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

// Shared by every copy of this module in the process (Next bundles routes and
// instrumentation separately), so the concurrency limit holds process-wide.
const state = globalThis as unknown as { sunoDownloads?: { active: number } };

/** Takes due downloads (up to the free slots) and starts them; answers how many it started. Never waits for them. */
export async function runDueDownloads(): Promise<number> {
  const downloads = (state.sunoDownloads ??= { active: 0 });
  const slots = CONCURRENCY - downloads.active;
  if (slots <= 0) return 0;
  // Reserve the slots before the first await so concurrent calls cannot overbook.
  downloads.active += slots;
  let claims: Claim[] = [];
  try {
    const now = new Date();
    claims = await claimDueAssets(now, slots, new Date(now.getTime() + LEASE_MS));
  } finally {
    downloads.active -= slots - claims.length;
  }
  for (const claim of claims) {
    void runDownload(claim)
      .catch((error) => console.error(`[downloads] asset ${claim.id}:`, error))
      .finally(() => {
        downloads.active--;
        // A freed slot takes the next due download right away.
        void runDueDownloads().catch((error) => console.error("[downloads] claim failed:", error));
      });
  }
  return claims.length;
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

/** One attempt of one claimed asset, ending in stored, a retry, or a final failure. */
async function runDownload(claim: Claim): Promise<void> {
  const config = env();
  const timeoutMs = config.DOWNLOAD_TIMEOUT_SECONDS * 1000;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DownloadFailure(`timed out after ${config.DOWNLOAD_TIMEOUT_SECONDS} s (DOWNLOAD_TIMEOUT_SECONDS)`, false)),
    timeoutMs,
  );
  const progress = trackProgress(claim, () => controller.abort(new DownloadFailure("another worker took this download over", false)));
  let temp: string | null = null;
  try {
    if (claim.attempts > MAX_ATTEMPTS) throw new DownloadFailure(`gave up after ${MAX_ATTEMPTS} attempts`, true);
    await removeTempFiles(claim.id);
    temp = await tempFile(claim.id);
    const file = await fetchToFile(
      claim,
      temp,
      controller.signal,
      progress,
      config.DOWNLOAD_MAX_BYTES,
      config.DOWNLOAD_ALLOW_PRIVATE || isOwnSample(claim.remoteUrl),
    );
    progress.stop();
    const storagePath = assetRelativePath(claim.type, claim.taskId, claim.position, file.ext);
    await moveIntoPlace(temp, storagePath);
    const stored = await markStored(
      claim,
      { bytes: file.bytes, sha256: file.sha256, contentType: file.contentType, storagePath },
      new Date(),
    );
    if (stored?.replacedPath) await removeStored(stored.replacedPath).catch(() => {});
  } catch (thrown) {
    progress.stop();
    const failure = asFailure(controller.signal.aborted ? controller.signal.reason : thrown);
    const now = new Date();
    const retry = !failure.permanent && claim.attempts < MAX_ATTEMPTS;
    const error = retry || failure.permanent ? failure.message : `${failure.message} (gave up after ${claim.attempts} attempts)`;
    const keptBytes = !retry && claim.storagePath ? await storedSize(claim.storagePath) : null;
    const delay = Math.max(RETRY_DELAYS_MS[claim.attempts - 1] ?? 0, Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS));
    await markFailed(claim, { error, retryAt: retry ? new Date(now.getTime() + delay) : null, keptBytes }, now);
  } finally {
    clearTimeout(timer);
    progress.stop();
    if (temp) await fs.promises.rm(temp, { force: true });
  }
}

type Progress = { bytes: number; total: number | null; stop: () => void };

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

type Fetched = Sniffed & { bytes: number; sha256: string };

/** Streams the remote file into `temp`, checking status, size and content as the bytes arrive. */
async function fetchToFile(
  claim: Claim,
  temp: string,
  signal: AbortSignal,
  progress: Progress,
  maxBytes: number,
  allowPrivate: boolean,
): Promise<Fetched> {
  const { response } = await safeGet(claim.remoteUrl, { signal, allowPrivate });
  const status = response.statusCode ?? 0;
  if (status !== 200) {
    response.destroy();
    throw statusFailure(status, response.statusMessage, response.headers["retry-after"]);
  }
  const declaredHeader = response.headers["content-length"];
  const declared = declaredHeader !== undefined && /^\d+$/.test(declaredHeader) ? Number(declaredHeader) : null;
  if (declared !== null && declared > maxBytes) {
    response.destroy();
    throw tooLarge(`the server announces ${declared} bytes`, maxBytes);
  }
  progress.total = declared;

  let head = Buffer.alloc(0);
  let sniffed: Sniffed | null = null;
  /** Counts, caps and sniffs one chunk as it arrives; throws to end the download. */
  const accept = (chunk: Buffer) => {
    progress.bytes += chunk.length;
    if (progress.bytes > maxBytes) throw tooLarge(`more than ${maxBytes} bytes arrived`, maxBytes);
    if (!sniffed) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
      if (head.length >= SNIFF_BYTES) sniffed = expectKind(claim, head);
    }
  };
  const file = await fs.promises.open(temp, "wx").catch((error: unknown) => {
    response.destroy();
    throw error;
  });
  const hash = hashWhileWriting(temp);
  let position = 0;
  let flushedAt = 0;
  let flushing = false;
  // One sink that checks and writes: chunks that arrive while a write is in
  // flight are buffered (up to WRITE_BUFFER_BYTES) and go out in one writev,
  // so the disk keeps up with the network at a fixed memory cost.
  const sink = new Writable({
    highWaterMark: WRITE_BUFFER_BYTES,
    writev(chunks, done) {
      const buffers = chunks.map((c) => c.chunk as Buffer);
      try {
        buffers.forEach(accept);
      } catch (error) {
        return done(error as Error);
      }
      const length = buffers.reduce((n, b) => n + b.length, 0);
      file.writev(buffers, position).then(({ bytesWritten }) => {
        if (bytesWritten !== length) return done(new Error(`short write: ${bytesWritten} of ${length} bytes`));
        position += length;
        hash.written(position);
        if (!flushing && position - flushedAt >= FLUSH_EVERY_BYTES) {
          // Not awaited: the disk flushes while the network keeps going. Errors surface at the final sync.
          flushing = true;
          flushedAt = position;
          file.datasync().then(
            () => (flushing = false),
            () => (flushing = false),
          );
        }
        done();
      }, done);
    },
  });
  let sha256: string;
  try {
    await pipeline(response, sink, { signal });
    // On disk before the file is moved into place and reported stored.
    [sha256] = await Promise.all([hash.digest(position), file.datasync()]);
  } catch (error) {
    hash.abort();
    throw error;
  } finally {
    await file.close().catch(() => {});
  }
  if (declared !== null && progress.bytes !== declared) {
    throw new DownloadFailure(`the connection ended after ${progress.bytes} of ${declared} bytes`, false);
  }
  sniffed ??= expectKind(claim, head);
  return { ...sniffed, bytes: progress.bytes, sha256 };
}

function expectKind(claim: Claim, head: Buffer): Sniffed {
  const sniffed = sniff(claim.type, head);
  if (!sniffed) throw new DownloadFailure(`wrong content: expected ${EXPECTED[claim.type]}, got ${describeBytes(head)}`, true);
  return sniffed;
}

const tooLarge = (what: string, maxBytes: number) =>
  new DownloadFailure(`too large: ${what}, the limit is ${maxBytes} bytes (DOWNLOAD_MAX_BYTES)`, true);

function statusFailure(status: number, text: string | undefined, retryAfter: string | undefined): DownloadFailure {
  const label = `HTTP ${status}${text ? ` ${text}` : ""}`;
  if (status === 404 || status === 410) return new DownloadFailure(`${label}: the file is not (or no longer) at the remote URL`, true);
  // Server trouble, rate limits and request timeouts pass; other answers will not change.
  const transient = status >= 500 || status === 408 || status === 425 || status === 429;
  if (!transient) return new DownloadFailure(`${label}: the remote server refused the download`, true);
  return new DownloadFailure(label, false, retryAfterMs(retryAfter));
}

/** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
function retryAfterMs(value: string | undefined): number {
  if (!value) return 0;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function asFailure(error: unknown): DownloadFailure {
  if (error instanceof DownloadFailure) return error;
  if (error instanceof FetchRefused) return new DownloadFailure(error.message, true);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Network trouble (resets, refused connections, DNS hiccups) and local I/O errors may pass.
  return new DownloadFailure(code && !message.includes(code) ? `${code}: ${message}` : message, false);
}
