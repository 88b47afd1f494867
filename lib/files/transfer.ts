// One transfer of a remote file into storage, the per-byte part of a download
// (lib/files/downloads.ts keeps the queue, the lease and the outcome). It runs
// on the transfer thread (lib/files/transfer-thread.ts), so the bytes never
// pass through the event loop that answers requests. The response is checked
// (status, size, content) as it arrives and hashed on the way, the media tap
// (lib/media/tap.ts) sees every chunk, and the upload opens under the key the
// first bytes decide; the file appears under it only once complete.
import "server-only";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { AssetRole } from "@/lib/core/enums";
import { DownloadFailure } from "@/lib/files/failure";
import { safeGet } from "@/lib/files/safe-fetch";
import { describeBytes, expected, SNIFF_BYTES, sniff, type Sniffed } from "@/lib/files/sniff";
import { mediaTap, type MediaFindings } from "@/lib/media/tap";
import { assetRelativePath, storage, type Upload } from "@/lib/storage";

/** Bytes a transfer may hold while the storage catches up (the storage buffers a little more of its own). */
const SINK_BUFFER_BYTES = 1024 * 1024;

/** What to fetch and where it goes: plain data, sent to the transfer thread. */
export type TransferJob = {
  assetId: number;
  role: AssetRole;
  taskId: string;
  position: number;
  remoteUrl: string;
  maxBytes: number;
  /** Let loopback/private addresses through (DOWNLOAD_ALLOW_PRIVATE, or the dashboard's own samples). */
  allowPrivate: boolean;
};

/** A stored file, as the transfer thread hands it back. */
export type Transferred = Sniffed & { bytes: number; sha256: string; storagePath: string; media: MediaFindings };

/** Bytes received so far, and the size the server announced (null until known or when it announces none). */
export type TransferProgress = { bytes: number; total: number | null };

/**
 * Streams `job.remoteUrl` into the storage, checking status, size and content
 * as the bytes arrive, hashing them on the way and counting them in
 * `progress`. The first bytes decide the format, hence the key
 * (`<kind>/<task>/<position>.<ext>`): they are held until sniffed, then the
 * upload to that key opens. The file appears under its key only when
 * everything passed; a failed transfer leaves nothing behind and rejects
 * (with a DownloadFailure when it knows whether a retry could help).
 */
export async function transfer(job: TransferJob, signal: AbortSignal, progress: TransferProgress): Promise<Transferred> {
  const { response } = await safeGet(job.remoteUrl, { signal, allowPrivate: job.allowPrivate });
  const status = response.statusCode ?? 0;
  if (status !== 200) {
    response.destroy();
    throw statusFailure(status, response.statusMessage, response.headers["retry-after"]);
  }
  const declaredHeader = response.headers["content-length"];
  const declared = declaredHeader !== undefined && /^\d+$/.test(declaredHeader) ? Number(declaredHeader) : null;
  if (declared !== null && declared > job.maxBytes) {
    response.destroy();
    throw tooLarge(`the server announces ${declared} bytes`, job.maxBytes);
  }
  progress.total = declared;

  const store = storage();
  const hash = createHash("sha256");
  const media = mediaTap(job.role);
  let head = Buffer.alloc(0);
  let sniffed: Sniffed | null = null;
  /** Counts, caps, sniffs and hashes one chunk as it arrives; throws to end the download. */
  const accept = (chunk: Buffer) => {
    progress.bytes += chunk.length;
    if (progress.bytes > job.maxBytes) throw tooLarge(`more than ${job.maxBytes} bytes arrived`, job.maxBytes);
    if (!sniffed) {
      head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
      if (head.length >= SNIFF_BYTES) sniffed = expectKind(job.role, head);
    }
    hash.update(chunk);
    media.push(chunk);
  };
  /** Chunks that arrived before the format was known (at most SNIFF_BYTES of them). */
  let held: Buffer[] = [];
  let opening: Promise<Upload> | null = null;
  let upload: Upload | null = null;
  const open = async (format: Sniffed): Promise<void> => {
    const key = assetRelativePath(job.role, job.taskId, job.position, format.ext);
    opening = store.createUpload(key, format.contentType);
    const opened = await opening;
    for (const chunk of held) await opened.write(chunk);
    held = [];
    upload = opened;
  };
  const sink = new Writable({
    highWaterMark: SINK_BUFFER_BYTES,
    write(chunk: Buffer, _encoding, done) {
      try {
        accept(chunk);
      } catch (error) {
        return done(error as Error);
      }
      if (upload) return void upload.write(chunk).then(() => done(), done);
      held.push(chunk);
      if (!sniffed || opening) return done();
      open(sniffed).then(() => done(), done);
    },
  });

  try {
    await pipeline(response, sink, { signal });
    if (declared !== null && progress.bytes !== declared) {
      throw new DownloadFailure(`the connection ended after ${progress.bytes} of ${declared} bytes`, false);
    }
    const format = sniffed ?? expectKind(job.role, head);
    // A file shorter than the sniffing window opens its upload only now.
    if (!upload) await open(format);
    const finished = upload as unknown as Upload;
    await finished.finish();
    return { ...format, bytes: progress.bytes, sha256: hash.digest("hex"), storagePath: finished.key, media: media.findings() };
  } catch (error) {
    // Nothing half-written stays behind, also when the upload was still opening.
    const pending = opening as Promise<Upload> | null;
    const partial = await pending?.catch(() => null);
    await partial?.abort().catch((abortError) => console.error(`[downloads] asset ${job.assetId}: abort failed:`, abortError));
    throw error;
  }
}

function expectKind(role: AssetRole, head: Buffer): Sniffed {
  const sniffed = sniff(role, head);
  if (!sniffed) throw new DownloadFailure(`wrong content: expected ${expected(role)}, got ${describeBytes(head)}`, true);
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
