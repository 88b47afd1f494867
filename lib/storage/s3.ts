// Objects in an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2,
// MinIO, …) under an optional key prefix. An upload is one PUT for a small
// file and a multipart upload of 5 MiB parts (S3's least) for a big one, one
// part in flight while the next fills, the bytes copied into part buffers
// reused across uploads: memory per upload stays at two parts, whatever the
// file's size. An object
// appears only when its PUT or CompleteMultipartUpload succeeds; a failed or
// aborted upload aborts its multipart upload. Files are served by presigned
// GET URLs. The SDK is loaded on first use: a deployment on local files never
// pays for it.
//
// (@aws-sdk/lib-storage's Upload was measured first: its stream chunker
// concatenates every part and keeps the previous one alive through a
// subarray, and a 200 MiB download grew the process by 80-90 MiB.)
import "server-only";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Storage, StoredObject, Upload } from "./index";

export type S3StorageConfig = {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash. */
  prefix?: string;
  /** The S3 API's base URL for non-AWS services; unset for AWS. */
  endpoint?: string;
  region: string;
  /** Both or neither; neither → the SDK's default credential chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Lifetime of presigned URLs (FILE_URL_TTL_SECONDS). */
  urlTtlSeconds: number;
};

const MiB = 1024 * 1024;
/** Multipart part size (S3 wants at least 5 MiB but for the last part); a file below it is one PUT. */
const PART_SIZE = 5 * MiB;
/** Parts sent at once; one more is filled meanwhile. */
const QUEUE_SIZE = 1;

type Sdk = typeof import("@aws-sdk/client-s3") & Pick<typeof import("@aws-sdk/s3-request-presigner"), "getSignedUrl">;

let loading: Promise<Sdk> | undefined;
const sdk = (): Promise<Sdk> =>
  (loading ??= Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/s3-request-presigner")]).then(([s3, presigner]) => ({
    ...s3,
    getSignedUrl: presigner.getSignedUrl,
  })));

export function createS3Storage(config: S3StorageConfig): Storage {
  const { bucket, urlTtlSeconds } = config;
  const prefix = (config.prefix ?? "").split("/").filter(Boolean).join("/");

  let client: Promise<S3Client> | undefined;
  const getClient = () =>
    (client ??= sdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: config.region,
          endpoint: config.endpoint,
          forcePathStyle: config.forcePathStyle ?? false,
          credentials:
            config.accessKeyId && config.secretAccessKey
              ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
              : undefined,
          // Plain bodies: newer SDKs otherwise send aws-chunked bodies with CRC
          // trailers, which R2, B2, MinIO and test servers do not all accept.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
          requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
        }),
    ));

  /** The object key of a storage key: under the prefix, no empty, `.` or `..` segments. */
  const objectKey = (key: string): string => {
    if (!key || key.includes("\0") || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new Error(`bad storage key ${JSON.stringify(key)}`);
    }
    return prefix ? `${prefix}/${key}` : key;
  };

  const head = async (Key: string): Promise<{ size: number } | null> => {
    const [{ HeadObjectCommand }, s3] = await Promise.all([sdk(), getClient()]);
    try {
      const answer = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return { size: answer.ContentLength ?? 0 };
    } catch (error) {
      if (status(error) === 404) return null;
      throw error;
    }
  };

  async function* body(Key: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
    const [{ GetObjectCommand }, s3] = await Promise.all([sdk(), getClient()]);
    const answer = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
    );
    yield* answer.Body as Readable;
  }

  return {
    driver: "s3",

    async createUpload(key, contentType) {
      const Key = objectKey(key);
      const [commands, s3] = await Promise.all([sdk(), getClient()]);
      return multipartUpload(s3, commands, { Bucket: bucket, Key, ContentType: contentType }, key);
    },

    stat: (key) => head(objectKey(key)),

    async open(key): Promise<StoredObject | null> {
      const Key = objectKey(key);
      const found = await head(Key);
      if (!found) return null;
      return { size: found.size, read: (range) => Readable.from(body(Key, range)), close: async () => {} };
    },

    async remove(key) {
      const [{ DeleteObjectCommand }, s3] = await Promise.all([sdk(), getClient()]);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },

    async signedUrl(key, { fileName, contentType, download }) {
      const [{ GetObjectCommand, getSignedUrl }, s3] = await Promise.all([sdk(), getClient()]);
      const name = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(key),
        ResponseContentDisposition: `${download ? "attachment" : "inline"}; filename="${name}"`,
        ResponseContentType: contentType,
      });
      return getSignedUrl(s3, command, { expiresIn: urlTtlSeconds });
    },

    async discardPartial(keyPrefix) {
      const [{ ListMultipartUploadsCommand, AbortMultipartUploadCommand }, s3] = await Promise.all([sdk(), getClient()]);
      let uploads;
      try {
        uploads = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: objectKey(keyPrefix) }))).Uploads ?? [];
      } catch (error) {
        // Some S3-compatible servers cannot list uploads; a lifecycle rule has to clean up there.
        if (status(error) === 501 || (error as Error | undefined)?.name === "NotImplemented") return;
        throw error;
      }
      await Promise.all(
        uploads.map(({ Key, UploadId }) =>
          Key && UploadId
            ? s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })).catch((error: unknown) => {
                if (status(error) !== 404) throw error;
              })
            : null,
        ),
      );
    },

    async check() {
      const [{ PutObjectCommand, DeleteObjectCommand }, s3] = await Promise.all([sdk(), getClient()]);
      // A key of its own per check: concurrent checks must not remove each other's object.
      const Key = objectKey(`.health-${randomBytes(6).toString("hex")}`);
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "ok", ContentType: "text/plain" }));
      } finally {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })).catch(() => {});
      }
    },

    describe: () => `s3://${bucket}${prefix ? `/${prefix}` : ""}${config.endpoint ? ` at ${new URL(config.endpoint).origin}` : ""}`,
  };
}

/** The HTTP status of an SDK error, if it has one. */
function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * Part buffers kept for the next uploads: without reuse across uploads every
 * download leaves its buffers to the garbage collector, which lets them pile
 * up (a 200 MiB file after another grew the process by over 100 MiB).
 */
const partPool: Buffer[] = [];
const POOL_MAX = 2 * (QUEUE_SIZE + 1);
const partBuffer = () => partPool.pop() ?? Buffer.allocUnsafeSlow(PART_SIZE);
const giveBack = (buffer: Buffer) => {
  if (partPool.length < POOL_MAX) partPool.push(buffer);
};

/**
 * A streamed upload to one object. Written bytes are copied into part buffers
 * (at most QUEUE_SIZE + 1 of PART_SIZE, from a pool shared by uploads); a full buffer goes out as a
 * part while the next fills, and write() waits while QUEUE_SIZE parts are in
 * flight. Nothing is sent before the first part is full, so a small file is
 * one PutObject at finish(). Writes must not overlap (await each).
 */
function multipartUpload(s3: S3Client, sdk: Sdk, target: { Bucket: string; Key: string; ContentType: string }, key: string): Upload {
  const { Bucket, Key } = target;
  const controller = new AbortController();
  const abortSignal = controller.signal;
  let current: Buffer | null = null;
  let filled = 0;
  let partCount = 0;
  const parts: { PartNumber: number; ETag: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let uploadId: Promise<string> | null = null;
  let failure: unknown = null;
  let state: "open" | "finishing" | "finished" | "aborted" = "open";
  let discarding: Promise<void> | null = null;

  // Not cancelled by abort(): an upload the server created must be known, to be aborted.
  const startMultipart = () =>
    (uploadId ??= s3.send(new sdk.CreateMultipartUploadCommand(target)).then(({ UploadId }) => {
      if (!UploadId) throw new Error("CreateMultipartUpload answered no UploadId");
      return UploadId;
    }));

  /** Sends a full buffer as the next part; its buffer comes back to `free` once sent. Failures are kept in `failure`. */
  const sendPart = (buffer: Buffer, length: number) => {
    const PartNumber = ++partCount;
    const task: Promise<void> = (async () => {
      const UploadId = await startMultipart();
      const body = buffer.subarray(0, length);
      const answer = await s3.send(new sdk.UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body, ContentLength: length }), {
        abortSignal,
      });
      if (!answer.ETag) throw new Error(`UploadPart ${PartNumber} answered no ETag`);
      parts.push({ PartNumber, ETag: answer.ETag });
      giveBack(buffer);
    })()
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  /** Resolves once fewer than `limit` parts are in flight; throws when one failed. */
  const room = async (limit: number) => {
    while (inFlight.size >= limit && !failure) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  /** Cancels parts in flight, then aborts the multipart upload (its parts are deleted). Once. */
  const discard = () =>
    (discarding ??= (async () => {
      controller.abort();
      await Promise.all(inFlight);
      const UploadId = await uploadId?.catch(() => null);
      if (UploadId) await s3.send(new sdk.AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    })());

  return {
    key,
    async write(chunk) {
      if (state !== "open") throw new Error(`the upload of ${key} is ${state}`);
      if (failure) throw failure;
      let offset = 0;
      while (offset < chunk.length) {
        current ??= partBuffer();
        const n = Math.min(chunk.length - offset, PART_SIZE - filled);
        current.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === PART_SIZE) {
          await room(QUEUE_SIZE);
          sendPart(current, filled);
          current = null;
          filled = 0;
        }
      }
    },
    async finish() {
      if (state !== "open") throw new Error(`the upload of ${key} is ${state}`);
      state = "finishing";
      try {
        if (failure) throw failure;
        if (partCount === 0) {
          const body = current ? current.subarray(0, filled) : Buffer.alloc(0);
          await s3.send(new sdk.PutObjectCommand({ ...target, Body: body, ContentLength: filled }), { abortSignal });
          if (current) giveBack(current);
        } else {
          if (filled > 0) {
            await room(QUEUE_SIZE);
            sendPart(current!, filled);
          }
          await room(1);
          parts.sort((a, b) => a.PartNumber - b.PartNumber);
          const UploadId = await startMultipart();
          await s3.send(new sdk.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), {
            abortSignal,
          });
        }
        current = null;
        state = "finished";
      } catch (error) {
        state = "aborted";
        await discard().catch(() => {});
        throw error;
      }
    },
    async abort() {
      if (state === "finished") return;
      state = "aborted";
      failure ??= new Error("upload aborted");
      current = null;
      await discard();
    },
  };
}
