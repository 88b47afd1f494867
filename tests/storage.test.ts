// The storage interface (lib/storage) against both backends: a local folder,
// and a real S3-compatible server (s3rver in a child process). Plus the
// presigned URLs' SigV4 signature, recomputed independently with node:crypto
// (s3rver does not check signatures).
import { createHash, createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStorage, createS3Storage, type Storage } from "@/lib/storage";
import { startS3, type S3Server } from "./helpers/s3";

const MiB = 1024 * 1024;
const PREFIX = "files";
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Uploads `data` in `chunkSize` pieces, honouring backpressure; finishes unless told not to. */
async function upload(store: Storage, key: string, data: Buffer, { chunkSize = 64 * 1024, finish = true } = {}) {
  const sink = await store.createUpload(key, "application/octet-stream");
  for (let at = 0; at < data.length; at += chunkSize) await sink.write(data.subarray(at, at + chunkSize));
  if (finish) await sink.finish();
  return sink;
}

let s3: S3Server;
const scratch: string[] = [];

beforeAll(async () => {
  s3 = await startS3();
});

afterAll(async () => {
  await s3?.stop();
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

type Backend = {
  store: Storage;
  /** Partial uploads left behind (local temp files; s3rver cannot abort multipart uploads, so none are looked for there). */
  leftovers: () => string[];
};

const backends: Record<"local" | "s3", () => Backend> = {
  local: () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-test-"));
    scratch.push(dir);
    return {
      store: createLocalStorage({ dir }),
      leftovers: () => (fs.existsSync(path.join(dir, ".tmp")) ? fs.readdirSync(path.join(dir, ".tmp")) : []),
    };
  },
  s3: () => ({
    store: createS3Storage({
      bucket: s3.bucket,
      prefix: PREFIX,
      endpoint: s3.endpoint,
      region: s3.env.S3_REGION!,
      accessKeyId: s3.env.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
      urlTtlSeconds: 900,
    }),
    leftovers: () => [],
  }),
};

/** s3rver's request log since `mark` (method names are cut off; the SDK's x-id query names the operation). */
const s3Log = (mark = 0) => s3.log().slice(mark);

describe.each(["local", "s3"] as const)("%s storage", (driver) => {
  let store: Storage;
  let leftovers: () => string[];
  beforeAll(() => {
    ({ store, leftovers } = backends[driver]());
  });

  it("names its driver and where it keeps files; takes a health check write", async () => {
    expect(store.driver).toBe(driver);
    expect(store.describe()).toMatch(driver === "s3" ? `s3://${s3.bucket}/${PREFIX} at ${s3.endpoint}` : /^\/.*storage-test-/);
    await store.check();
    expect(leftovers()).toEqual([]);
  });

  it("an upload streamed in chunks appears only when finished, with its bytes", async () => {
    const key = "cover/stream/0.png";
    const data = randomBytes(3 * MiB + 123);
    const sink = await upload(store, key, data, { finish: false });
    expect(sink.key).toBe(key);
    expect(await store.stat(key)).toBeNull();
    await sink.finish();
    expect(await store.stat(key)).toEqual({ size: data.length });
    const opened = await store.open(key);
    expect(opened?.size).toBe(data.length);
    expect((await readAll(opened!.read())).equals(data)).toBe(true);
    const again = await store.open(key);
    expect((await readAll(again!.read({ start: 10, end: 19 }))).equals(data.subarray(10, 20))).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it("a new upload to a key replaces the old object", async () => {
    const key = "cover/replace/0.png";
    await upload(store, key, Buffer.from("first version"));
    const second = randomBytes(100_000);
    await upload(store, key, second);
    expect(await store.stat(key)).toEqual({ size: second.length });
    expect((await readAll((await store.open(key))!.read())).equals(second)).toBe(true);
  });

  it("abort leaves nothing behind, also once multipart parts were sent", async () => {
    const small = await upload(store, "cover/abort/0.png", randomBytes(200_000), { finish: false });
    await small.abort();
    await small.abort(); // twice is fine
    expect(await store.stat("cover/abort/0.png")).toBeNull();

    const mark = s3Log().length;
    const big = await upload(store, "wav/abort/0.wav", randomBytes(20 * MiB), { chunkSize: MiB, finish: false });
    // s3rver cannot abort a multipart upload (it answers 405); real stores delete the parts.
    await big.abort().catch((error: Error) => {
      if (driver !== "s3" || !/not allowed/i.test(error.message)) throw error;
    });
    expect(await store.stat("wav/abort/0.wav")).toBeNull();
    expect(await store.open("wav/abort/0.wav")).toBeNull();
    expect(leftovers()).toEqual([]);
    if (driver === "s3") {
      // A multipart upload was begun (parts in flight are cancelled), then aborted.
      expect(s3Log(mark)).toMatch(new RegExp(`${PREFIX}/wav/abort/0\\.wav\\?uploads=`));
      expect(s3Log(mark)).toMatch(/wav\/abort\/0\.wav\?uploadId=\w+&x-id=AbortMultipartUpload/);
    }
    await expect(big.finish()).rejects.toThrow();
  });

  it("remove deletes; missing keys stat and open as null and remove quietly", async () => {
    const key = "cover/remove/0.jpg";
    await upload(store, key, randomBytes(1000));
    expect(await store.stat(key)).toEqual({ size: 1000 });
    await store.remove(key);
    expect(await store.stat(key)).toBeNull();
    expect(await store.open(key)).toBeNull();
    await store.remove(key);
    await store.remove("cover/never/0.png");
    expect(await store.stat("cover/never/0.png")).toBeNull();
  });

  it("refuses keys that would leave its folder or prefix", async () => {
    await expect(store.createUpload("../outside.png", "image/png")).rejects.toThrow();
    await expect(store.createUpload("cover/../../x.png", "image/png")).rejects.toThrow();
  });

  it("discardPartial removes what a killed upload left, and only under its prefix", async () => {
    // Never finished nor aborted: what a process killed mid-download leaves.
    const crashed = await upload(store, "wav/crashed/0.wav", randomBytes(100_000), { finish: false });
    const running = await upload(store, "wav/crashed/10.wav", randomBytes(100_000), { finish: false });
    if (driver === "local") expect(leftovers()).toHaveLength(2);
    await store.discardPartial("wav/crashed/0.");
    if (driver === "local") expect(leftovers()).toHaveLength(1);
    await running.finish();
    expect(await store.stat("wav/crashed/10.wav")).toEqual({ size: 100_000 });
    expect(leftovers()).toEqual([]);
    await crashed.abort(); // releases the file handle a real crash would have closed
  });

  it("a 40 MiB upload is stored whole (multipart on S3)", { timeout: 60_000 }, async () => {
    const key = "wav/big/0.wav";
    const data = randomBytes(40 * MiB);
    const mark = s3Log().length;
    await upload(store, key, data, { chunkSize: 256 * 1024 });
    expect(await store.stat(key)).toEqual({ size: data.length });
    if (driver === "s3") {
      expect(s3Log(mark)).toMatch(/wav\/big\/0\.wav\?uploads=/);
      expect(s3Log(mark)).toMatch(/wav\/big\/0\.wav\?partNumber=5&uploadId=/);
      // Read back with the SDK directly, not through the storage.
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      const Key = `${PREFIX}/${key}`;
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key }));
      expect(head.ContentLength).toBe(data.length);
      expect(head.ContentType).toBe("application/octet-stream");
      const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
      expect(sha256(await readAll(object.Body as Readable))).toBe(sha256(data));
      client.destroy();
    } else {
      expect(sha256(await readAll((await store.open(key))!.read()))).toBe(sha256(data));
    }
    await store.remove(key);
  });

  it("serves by presigned URL on S3 (with ranges and the download name), through the app locally", async () => {
    const key = "cover/signed/0.png";
    const data = randomBytes(5000);
    await upload(store, key, data);
    if (driver === "local") {
      expect(store.signedUrl).toBeUndefined();
      return;
    }
    const url = await store.signedUrl!(key, { fileName: "cover-signed-1.png", contentType: "image/png", download: true });
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/png");
    expect(whole.headers.get("content-disposition")).toBe('attachment; filename="cover-signed-1.png"');
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    const part = await fetch(url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-19/${data.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20))).toBe(true);
    const inline = await store.signedUrl!(key, { fileName: "cover-signed-1.png", contentType: "image/png" });
    expect((await fetch(inline)).headers.get("content-disposition")).toBe('inline; filename="cover-signed-1.png"');
  });
});

describe("presigned URLs are signed (SigV4, recomputed independently)", () => {
  const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

  /** The SigV4 query signature of a GET of `pathname` at `host`, for the given query parameters (without the signature). */
  function signature(secret: string, region: string, host: string, pathname: string, query: Record<string, string>): string {
    const amzDate = query["X-Amz-Date"]!;
    const day = amzDate.slice(0, 8);
    const canonicalQuery = Object.keys(query)
      .sort()
      .map((k) => `${rfc3986(k)}=${rfc3986(query[k]!)}`)
      .join("&");
    const canonicalRequest = ["GET", pathname, canonicalQuery, `host:${host}\n`, "host", "UNSIGNED-PAYLOAD"].join("\n");
    const scope = `${day}/${region}/s3/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), "s3"), "aws4_request");
    return createHmac("sha256", key).update(stringToSign).digest("hex");
  }

  it.each([
    { style: "path-style at an endpoint", endpoint: "https://objects.example.test:9000", forcePathStyle: true, region: "eu-central-1" },
    { style: "virtual-hosted on AWS", endpoint: undefined, forcePathStyle: false, region: "eu-west-3" },
  ])("$style", async ({ endpoint, forcePathStyle, region }) => {
    const accessKeyId = "AKIDEXAMPLE12345";
    const secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const ttl = 1234;
    const config = {
      bucket: "my-bucket",
      prefix: "some/prefix",
      endpoint,
      region,
      accessKeyId,
      secretAccessKey,
      forcePathStyle,
      urlTtlSeconds: ttl,
    };
    const store = createS3Storage(config);
    const options = { fileName: "wav-task_1-1.wav", contentType: "audio/wav", download: true };
    const before = Date.now();
    const url = new URL(await store.signedUrl!("wav/task_1/0.wav", options));

    const host = endpoint ? new URL(endpoint).host : `my-bucket.s3.${region}.amazonaws.com`;
    const pathname = `${endpoint ? "/my-bucket" : ""}/some/prefix/wav/task_1/0.wav`;
    expect(url.protocol).toBe("https:");
    expect(url.host).toBe(host);
    expect(url.pathname).toBe(pathname);

    // The only value not known in advance is the signing time: it must be now.
    const amzDate = url.searchParams.get("X-Amz-Date")!;
    expect(amzDate).toMatch(/^\d{8}T\d{6}Z$/);
    const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(Math.abs(signedAt - before)).toBeLessThan(5_000);

    const expected: Record<string, string> = {
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD",
      "X-Amz-Credential": `${accessKeyId}/${amzDate.slice(0, 8)}/${region}/s3/aws4_request`,
      "X-Amz-Date": amzDate,
      "X-Amz-Expires": String(ttl),
      "X-Amz-SignedHeaders": "host",
      "response-content-disposition": 'attachment; filename="wav-task_1-1.wav"',
      "response-content-type": "audio/wav",
      "x-id": "GetObject",
    };
    const actual = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "X-Amz-Signature"));
    expect(actual).toEqual(expected);
    expect(url.searchParams.get("X-Amz-Signature")).toBe(signature(secretAccessKey, region, host, pathname, expected));

    // Another secret signs differently.
    const other = new URL(await createS3Storage({ ...config, secretAccessKey: "another-secret" }).signedUrl!("wav/task_1/0.wav", options));
    expect(other.searchParams.get("X-Amz-Signature")).not.toBe(url.searchParams.get("X-Amz-Signature"));
  });
});
