// Where result files are kept: one interface, two backends. A local folder
// (STORAGE_DIR, the default) or an S3-compatible bucket (STORAGE_URL=s3://…).
// Keys are the relative paths `<kind>/<task>/<position>.<ext>`, the same in
// both; uploads are streamed (bounded memory) and appear only once complete.
import "server-only";
import { createHash } from "node:crypto";
import path from "node:path";
import type { Readable } from "node:stream";
import type { AssetRole } from "@/lib/core/enums";
import { roleKind } from "@/lib/core/roles";
import { env, type Env } from "@/lib/core/env";
import { createLocalStorage } from "./local";
import { createS3Storage } from "./s3";
import { parseStorageUrl } from "./url";
import { processSingleton } from "@/lib/core/registry";

export { createLocalStorage, type LocalStorageConfig } from "./local";
export { createS3Storage, type S3StorageConfig } from "./s3";

/** A streamed upload to one key. Nothing is visible under the key until `finish()` resolves. */
export type Upload = {
  readonly key: string;
  /** Writes a chunk; resolves when the next may be written (backpressure), rejects when the upload failed. */
  write(chunk: Uint8Array): Promise<void>;
  /** Completes the upload: resolves once the whole object is stored under its key (atomically replacing an older one). */
  finish(): Promise<void>;
  /** Discards what was written, leaving nothing behind. Safe at any time, also after a failed write or finish. */
  abort(): Promise<void>;
};

/** A stored object opened for reading: call `read` once (bytes start..end inclusive, all without a range) or `close`. */
export type StoredObject = {
  size: number;
  read(range?: { start: number; end: number }): Readable;
  /** Releases the object when it is not read after all. */
  close(): Promise<void>;
};

export type SignedUrlOptions = {
  /** The name a browser saves the file as. */
  fileName: string;
  contentType: string;
  /** `Content-Disposition: attachment` instead of `inline`. */
  download?: boolean;
};

export type Storage = {
  readonly driver: "local" | "s3";
  /** Starts a streamed upload to `key`. */
  createUpload(key: string, contentType: string): Promise<Upload>;
  /** The object's size, or null when it does not exist. */
  stat(key: string): Promise<{ size: number } | null>;
  /** The object opened for (ranged) reading, or null when it does not exist. */
  open(key: string): Promise<StoredObject | null>;
  /** Deletes an object; a missing one is fine. */
  remove(key: string): Promise<void>;
  /**
   * A URL the browser may fetch the object from directly, valid FILE_URL_TTL_SECONDS
   * (object storage only: a local folder has no such URL and serves through the app).
   */
  signedUrl?(key: string, options: SignedUrlOptions): Promise<string>;
  /** Discards uploads under `keyPrefix` begun by a process that died before finishing or aborting them. */
  discardPartial(keyPrefix: string): Promise<void>;
  /** Resolves when the storage takes a write (a small object written and deleted); for /api/health. */
  check(): Promise<void>;
  /** Where the files live, for the setup page (no secrets). */
  describe(): string;
};

/** The local storage folder (STORAGE_DIR, absolute). */
export function storageDir(config: Env = env()): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), config.STORAGE_DIR);
}

/** The storage an environment configures: the bucket of STORAGE_URL when set, else the folder STORAGE_DIR. */
function storageFromEnv(config: Env): Storage {
  if (!config.STORAGE_URL) return createLocalStorage({ dir: storageDir(config) });
  return createS3Storage({
    ...parseStorageUrl(config.STORAGE_URL),
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    urlTtlSeconds: config.FILE_URL_TTL_SECONDS,
  });
}

/** The process's storage, from the environment. */
export function storage(): Storage {
  return processSingleton("storage", () => storageFromEnv(env()));
}

/** Ids kept as they are: lower-case letters, digits and "-" (the provider's hex ids), at most 100 of them. */
const CLEAN_SEGMENT = /^[a-z0-9-]{1,100}$/;

/**
 * A task id made safe as one path segment (folder and file names, archive
 * entries), one to one: two ids never share a segment, also in storage that
 * ignores case. A clean id is its own segment. Any other id becomes its
 * readable part ([A-Za-z0-9-], the rest as "_", cut at 100) + "_" + 128 bits of
 * its sha256: the "_" keeps it apart from every clean id, the hash from every
 * other id. Only new keys follow this: stored files keep the key in their row.
 */
export function safeSegment(id: string): string {
  if (CLEAN_SEGMENT.test(id)) return id;
  const readable = id.replace(/[^A-Za-z0-9-]/g, "_").slice(0, 100);
  return `${readable}_${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;
}

/** `<kind>/<task>/<position>.`: the start of every key one asset may be stored under, whatever its extension. */
export function assetKeyPrefix(role: AssetRole, taskId: string, position: number): string {
  if (!Number.isInteger(position) || position < 0) throw new Error(`bad position ${position}`);
  // The folder is named for the kind of task the file belongs to: cover, wav, music, separation, video.
  return `${roleKind(role)}/${safeSegment(taskId)}/${position}.`;
}

/** `<kind>/<task>/<position>.<ext>`: the key of a stored file (relative to STORAGE_DIR, or to the bucket's prefix). */
export function assetRelativePath(role: AssetRole, taskId: string, position: number, ext: string): string {
  if (!/^[a-z0-9]{1,5}$/.test(ext)) throw new Error(`bad extension ${ext}`);
  return `${assetKeyPrefix(role, taskId, position)}${ext}`;
}
