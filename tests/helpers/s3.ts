// A real S3-compatible server for tests: s3rver (node_modules/s3rver) in a
// child process of its own, with its data in a fresh temp folder, on a port
// the OS picks, one bucket configured at start. Stopped by its own PID.
// s3rver does not check SigV4 signatures and mishandles `Range: bytes=-N` and
// `bytes=0-0`; everything else the storage uses (PUT, multipart, HEAD, GET with
// ranges and response-header overrides, DELETE) behaves like S3.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { killWithTests } from "./children";

const S3RVER_BIN = path.join(import.meta.dirname, "..", "..", "node_modules", "s3rver", "bin", "s3rver.js");
/** s3rver's built-in account. */
const ACCESS_KEY = "S3RVER";

export type S3Server = {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** The folder s3rver keeps its buckets in. */
  dataDir: string;
  /** The app's settings for this server (STORAGE_URL at the bucket, or at `bucket/prefix`). */
  env: Record<string, string>;
  /** The server's output so far, for failure messages. */
  log: () => string;
  /** Every key in the bucket (through the S3 API, ListObjectsV2), sorted. */
  keys: () => Promise<string[]>;
  stop: () => Promise<void>;
};

export async function startS3(options: { bucket?: string; prefix?: string } = {}): Promise<S3Server> {
  const bucket = options.bucket ?? "test-bucket";
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const dataDir = path.join(home, "data");
  const child = spawn(
    process.execPath,
    [S3RVER_BIN, "--directory", dataDir, "--address", "127.0.0.1", "--port", "0", "--configure-bucket", bucket],
    { cwd: home, stdio: ["ignore", "pipe", "pipe"] },
  );
  killWithTests(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      process.kill(child.pid, "SIGTERM");
      await exited;
    }
    fs.rmSync(home, { recursive: true, force: true });
  };

  try {
    // It prints "S3rver listening on 127.0.0.1:<port>" once the bucket exists and it listens.
    const deadline = Date.now() + 20_000;
    let port: string | undefined;
    while (!(port = /listening on [\d.]+:(\d+)/.exec(output)?.[1])) {
      if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`s3rver did not start within 20 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const endpoint = `http://127.0.0.1:${port}`;
    // And it answers HTTP (any status will do: the bucket listing needs no auth here).
    for (;;) {
      try {
        await (await fetch(`${endpoint}/${bucket}`)).arrayBuffer();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const prefix = options.prefix ? `/${options.prefix}` : "";
    return {
      endpoint,
      bucket,
      dataDir,
      env: {
        STORAGE_URL: `s3://${bucket}${prefix}`,
        S3_ENDPOINT: endpoint,
        S3_FORCE_PATH_STYLE: "1",
        S3_ACCESS_KEY_ID: ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: ACCESS_KEY,
        S3_REGION: "us-east-1",
      },
      log: () => output,
      keys: () => listKeys(endpoint, bucket),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function listKeys(endpoint: string, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ "list-type": "2", ...(token ? { "continuation-token": token } : {}) });
    const xml = await (await fetch(`${endpoint}/${bucket}?${query}`)).text();
    for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(decodeXml(m[1]!));
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? decodeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? "") : undefined;
  } while (token);
  return keys.sort();
}

const decodeXml = (text: string) =>
  text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e]!);
