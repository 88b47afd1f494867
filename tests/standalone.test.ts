// The container image, rehearsed without a container engine: the files the
// Dockerfile's final stage holds (the standalone server, its static assets and
// public/, assembled by tests/helpers/container.ts), alone in a read-only
// folder, run with the Dockerfile's ENV and CMD on Node 24, with a writable
// data folder standing for the /data volume: callback → stored files → pages →
// a restart on the same data. Not covered: the image's base OS, its user and
// file ownership, Docker's networking and the HEALTHCHECK's schedule.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Health } from "@/lib/server/health";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { removeReadOnly, spawnReadOnly } from "./helpers/artifacts";
import { sha256 } from "./helpers/assets";
import { killWithTests } from "./helpers/children";
import { coverSuccess } from "./helpers/callbacks";
import { assembleImage, type Image } from "./helpers/container";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { node24 } from "./helpers/node24";
import { freePort, TOKEN } from "./helpers/server";
import { waitFor } from "./helpers/wait";

let image: Image;
let files: FileServer;
let dataDir: string;
let port: number;
let server: ChildProcess | undefined;
let output = "";
const url = () => `http://127.0.0.1:${port}`;

/** The image's ENV with /data (the volume) at dataDir, and what `docker run -e` would add. */
function containerEnv(): NodeJS.ProcessEnv {
  const fromImage = Object.fromEntries(
    Object.entries(image.runtime.env).map(([k, v]) => [k, v.replace(/^(file:)?\/data\b/, `$1${dataDir}`)]),
  );
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/tmp",
    NODE_ENV: "production",
    ...fromImage,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    PUBLIC_BASE_URL: url(),
    CALLBACK_TOKEN: TOKEN,
    DOWNLOAD_ALLOW_PRIVATE: "1",
  };
}

/** `docker run`: the image's CMD, with Node 24 as `node`, from its read-only WORKDIR. */
async function start() {
  const [command, ...args] = image.runtime.cmd;
  expect(command).toBe("node");
  output = "";
  const child = spawnReadOnly(image.appDir, node24().bin, args, {
    cwd: image.appDir,
    env: containerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  killWithTests(child);
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  server = child;
  const health = await waitFor(
    () =>
      fetch(`${url()}/api/health`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200 || child.exitCode !== null,
    { timeoutMs: 60_000, what: () => `a healthy server:\n${output}` },
  );
  if (health !== 200) throw new Error(`The server did not become healthy (exit ${child.exitCode}):\n${output}`);
}

async function stop() {
  const child = server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  image = assembleImage();
  files = await startFileServer();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-image-data-"));
  port = await freePort();
  await start();
}, 600_000);

afterAll(async () => {
  await stop();
  await files?.close();
  if (image) removeReadOnly(image.appDir);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const png = [makePng(40, 30, 7), makePng(30, 40, 8)];
const taskId = uniqueTaskId("image");

const detail = () => taskDetail(url(), taskId);

describe("the container image (standalone server on Node 24)", () => {
  it("holds only the runtime stage's files: no sources, no dev dependencies", () => {
    for (const present of ["server.js", ".next/BUILD_ID", ".next/static", "public/samples/cover-1.png", "node_modules/next"]) {
      expect(fs.existsSync(path.join(image.appDir, present)), present).toBe(true);
    }
    for (const absent of [
      "app",
      "db",
      "tests",
      "e2e",
      "scripts",
      "node_modules/vercel",
      "node_modules/typescript",
      "node_modules/@playwright",
    ]) {
      expect(fs.existsSync(path.join(image.appDir, absent)), absent).toBe(false);
    }
  });

  it("starts on an empty volume: SQLite and files in /data, the in-process worker", async () => {
    const health = (await (await fetch(`${url()}/api/health`)).json()) as Health;
    expect(health).toMatchObject({ ok: true, database: { driver: "better-sqlite3" }, storage: { driver: "local" }, worker: "in-process" });
    expect(fs.existsSync(path.join(dataDir, "suno-dashboard.db"))).toBe(true);
  });

  it("the image's HEALTHCHECK passes", async () => {
    const [command, ...args] = image.runtime.healthcheck;
    expect(command).toBe("node");
    expect(await exitCode(node24().bin, args, containerEnv())).toBe(0);
  });

  it("a callback's files are stored in the data folder and served", async () => {
    const paths = [0, 1].map((i) => `/${taskId}/${i}.png`);
    paths.forEach((p, i) => files.route(p, bytes(png[i]!, "image/png")));
    const res = await fetch(`${url()}/api/callbacks?token=${TOKEN}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        coverSuccess(
          taskId,
          paths.map((p) => files.url + p),
        ),
      ),
    });
    expect(res.status).toBe(200);
    const done = await waitFor(detail, (d) => d.assets.length === 2 && d.assets.every((a) => a.status === "stored"), { timeoutMs: 30_000 });
    expect(
      done.assets.map((a) => a.status),
      output,
    ).toEqual(["stored", "stored"]);
    for (const [i, asset] of done.assets.entries()) {
      const served = Buffer.from(await (await fetch(`${url()}/api/assets/${asset.id}/file`)).arrayBuffer());
      expect(sha256(served)).toBe(sha256(png[i]!));
    }
    const stored = fs.readdirSync(path.join(dataDir, "files"), { recursive: true }).filter((f) => String(f).endsWith(".png"));
    expect(stored.length).toBeGreaterThanOrEqual(2);
  });

  it("the pages render with their static assets", async () => {
    for (const [page, text] of [
      ["/", taskId],
      [`/tasks/${taskId}`, taskId],
      ["/insights", "Insights"],
      ["/deliveries", taskId],
      ["/setup", `/api/callbacks?token=${TOKEN}`],
    ] as const) {
      const res = await fetch(`${url()}${page}`);
      const html = await res.text();
      expect(res.status, page).toBe(200);
      expect(html, page).toContain(text);
      const css = /href="(\/_next\/static\/[^"]+\.css)"/.exec(html)?.[1];
      expect(css, page).toBeDefined();
      expect((await fetch(`${url()}${css}`)).status).toBe(200);
    }
    expect((await fetch(`${url()}/samples/cover-1.png`)).status).toBe(200);
  });

  it("a restart on the same data keeps the task and its files", async () => {
    await stop();
    await start();
    const after = await detail();
    expect(after.task.status).toBe("succeeded");
    expect(after.assets.map((a) => a.status)).toEqual(["stored", "stored"]);
    const served = Buffer.from(await (await fetch(`${url()}/api/assets/${after.assets[1]!.id}/file`)).arrayBuffer());
    expect(sha256(served)).toBe(sha256(png[1]!));
  });

  it("wrote nothing outside the data folder and logged no error", () => {
    expect(output).not.toMatch(/EROFS|read-only file system|unhandled|uncaught/i);
  });
});

function exitCode(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: "ignore" });
    child.once("exit", (code) => resolve(code));
  });
}
