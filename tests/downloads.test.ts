// Keeping the files: callbacks → background downloads into STORAGE_DIR →
// serving with ETag and Range, failures, retries and re-downloads; all over
// real HTTP against `next start`, with a local file server as the remote; once
// per database driver (tests/helpers/drivers.ts), each with its own server and
// file server (whose hit counts and one-off routes the tests rely on).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng, makeWav } from "../scripts/lib/media";
import { sha256, settled, waitForAssets } from "./helpers/assets";
import { coverSuccess, wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startServer, type TestServer } from "./helpers/server";

const MAX_BYTES = 1_000_000;
const TIMEOUT_SECONDS = 2;

const png0 = makePng(96, 64, 0);
const png1 = makePng(64, 96, 1);
const wav = makeWav(2);
const html = Buffer.from("<!DOCTYPE html><html><body>Access denied</body></html>");

describeEachDatabase("downloads", (database) => {
  let server: TestServer;
  let files: FileServer;

  beforeAll(async () => {
    files = await startFileServer();
    files.route("/cover-0.png", bytes(png0, "image/png"));
    files.route("/cover-1.png", bytes(png1, "image/png"));
    files.route("/song.wav", bytes(wav, "audio/wav"));
    files.route("/page.png", bytes(html, "image/png"));
    files.route("/gone.png", (_req, res) => res.writeHead(410).end());
    files.route("/big-declared.png", bytes(Buffer.concat([png0, Buffer.alloc(MAX_BYTES)]), "image/png"));
    // No Content-Length: the cap must hold on counted bytes.
    files.route("/big-chunked.png", (_req, res) => {
      res.writeHead(200, { "content-type": "image/png" });
      res.write(png0);
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100_000));
      res.end();
    });
    // Headers and a few bytes, then nothing.
    files.route("/stall.png", (_req, res) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": png0.length });
      res.write(png0.subarray(0, 100));
    });
    let flaky = 0;
    files.route("/flaky.png", (req, res) => (++flaky === 1 ? res.writeHead(500).end("oops") : bytes(png1, "image/png")(req, res)));
    for (let n = 1; n <= 6; n++) {
      files.route(`/redirect/${n}`, (_req, res) => res.writeHead(302, { location: n === 1 ? "/cover-0.png" : `/redirect/${n - 1}` }).end());
    }
    files.route("/busy.png", (_req, res) => res.writeHead(429, { "retry-after": "7" }).end());
    files.route("/redirect-ftp", (_req, res) => res.writeHead(301, { location: "ftp://127.0.0.1/x.png" }).end());

    server = await startServer({
      database,
      env: { DOWNLOAD_ALLOW_PRIVATE: "1", DOWNLOAD_MAX_BYTES: String(MAX_BYTES), DOWNLOAD_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) },
    });
  });

  afterAll(async () => {
    await server?.close();
    await files?.close();
  });

  const fetchFile = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, server.url), init);

  describe("a success callback", () => {
    it("stores every cover image, byte for byte, and serves them with ETag and Range", async () => {
      const taskId = uniqueTaskId("cover");
      const res = await server.callback(coverSuccess(taskId, [`${files.url}/cover-0.png`, `${files.url}/cover-1.png`]));
      expect(res.status).toBe(200);

      const { assets, events, task } = await waitForAssets(server, taskId, (a) => a.every((x) => x.status === "stored"));
      expect(task.filesExpireAt).not.toBeNull();
      expect(Date.parse(task.filesExpireAt!) - Date.parse(task.completedAt!)).toBe(14 * 86_400_000);
      for (const [asset, source] of [
        [assets[0]!, png0],
        [assets[1]!, png1],
      ] as const) {
        expect(asset).toMatchObject({
          type: "image",
          contentType: "image/png",
          bytes: source.length,
          bytesReceived: source.length,
          sha256: sha256(source),
          attempts: 1,
          error: null,
        });
        const file = await fetchFile(asset.fileUrl!);
        expect(file.status).toBe(200);
        expect(file.headers.get("content-type")).toBe("image/png");
        expect(file.headers.get("content-length")).toBe(String(source.length));
        expect(file.headers.get("etag")).toBe(`"${sha256(source)}"`);
        expect(file.headers.get("accept-ranges")).toBe("bytes");
        expect(file.headers.get("content-disposition")).toBe(`inline; filename="cover-${taskId}-${asset.position + 1}.png"`);
        expect(Buffer.from(await file.arrayBuffer()).equals(source)).toBe(true);
        // The copy on disk is where the contract says, inside STORAGE_DIR.
        expect(fs.readFileSync(path.join(server.storageDir, "cover", taskId, `${asset.position}.png`)).equals(source)).toBe(true);
      }
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["download_started", "download_stored"]));

      const { fileUrl } = assets[0]!;
      const partial = await fetchFile(fileUrl!, { headers: { range: "bytes=10-99" } });
      expect(partial.status).toBe(206);
      expect(partial.headers.get("content-range")).toBe(`bytes 10-99/${png0.length}`);
      expect(partial.headers.get("content-length")).toBe("90");
      expect(Buffer.from(await partial.arrayBuffer()).equals(png0.subarray(10, 100))).toBe(true);

      const suffix = await fetchFile(fileUrl!, { headers: { range: "bytes=-16" } });
      expect(suffix.status).toBe(206);
      expect(Buffer.from(await suffix.arrayBuffer()).equals(png0.subarray(png0.length - 16))).toBe(true);

      const open = await fetchFile(fileUrl!, { headers: { range: `bytes=${png0.length - 5}-` } });
      expect(open.status).toBe(206);
      expect(Buffer.from(await open.arrayBuffer()).equals(png0.subarray(png0.length - 5))).toBe(true);

      const outside = await fetchFile(fileUrl!, { headers: { range: `bytes=${png0.length}-` } });
      expect(outside.status).toBe(416);
      expect(outside.headers.get("content-range")).toBe(`bytes */${png0.length}`);

      const cached = await fetchFile(fileUrl!, { headers: { "if-none-match": `"${sha256(png0)}"` } });
      expect(cached.status).toBe(304);

      const head = await fetchFile(fileUrl!, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(png0.length));
    });

    it("stores the WAV file", async () => {
      const taskId = uniqueTaskId("wav");
      await server.callback(wavSuccess(taskId, `${files.url}/song.wav`));
      const { assets, task } = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored");
      expect(assets[0]).toMatchObject({ type: "audio", contentType: "audio/wav", bytes: wav.length, sha256: sha256(wav) });
      expect(Date.parse(task.filesExpireAt!) - Date.parse(task.completedAt!)).toBe(15 * 86_400_000);
      const file = await fetchFile(assets[0]!.fileUrl!);
      expect(file.headers.get("content-type")).toBe("audio/wav");
      expect(file.headers.get("content-disposition")).toBe(`inline; filename="wav-${taskId}-1.wav"`);
      expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(wav));
    });

    it("follows up to 5 redirects", async () => {
      const taskId = uniqueTaskId("redirect");
      await server.callback(coverSuccess(taskId, [`${files.url}/redirect/5`, `${files.url}/redirect/6`, `${files.url}/redirect-ftp`]));
      const { assets } = await waitForAssets(server, taskId, settled);
      expect(assets[0]).toMatchObject({ status: "stored", sha256: sha256(png0) });
      expect(assets[1]).toMatchObject({ status: "failed", error: "more than 5 redirects" });
      expect(assets[2]!.status).toBe("failed");
      expect(assets[2]!.error).toMatch(/invalid URL: only http and https/);
    });

    it("keeps odd task ids inside the storage folder", async () => {
      const taskId = `..:${uniqueTaskId("odd")}`;
      await server.callback(coverSuccess(taskId, [`${files.url}/cover-1.png`]));
      const { assets } = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored");
      const stored = fs.readdirSync(path.join(server.storageDir, "cover"));
      const folder = stored.find((name) => name.startsWith("__"));
      expect(folder).toMatch(/^__[A-Za-z0-9_-]+$/);
      expect(fs.readFileSync(path.join(server.storageDir, "cover", folder!, "0.png")).equals(png1)).toBe(true);
      expect((await fetchFile(assets[0]!.fileUrl!)).headers.get("content-disposition")).toMatch(
        /^inline; filename="cover-__[A-Za-z0-9_-]+-1\.png"$/,
      );
    });
  });

  it("serves a file stored under an earlier version's folder name, and a re-download moves it under today's", async () => {
    const taskId = `Old.${uniqueTaskId("key")}`;
    await server.callback(coverSuccess(taskId, [`${files.url}/cover-1.png`]));
    const stored = (await waitForAssets(server, taskId, (a) => a[0]!.status === "stored")).assets[0]!;
    const [today] = await server.sql<{ file: string; thumb: string }>(
      "select storage_path as file, thumbnail_path as thumb from assets where id = ?",
      [stored.id],
    );
    // Where an earlier version put it (the id cleaned, a 10-hex hash), moved there with its thumbnail.
    const oldFolder = `${taskId.replace(/[^A-Za-z0-9_-]/g, "_")}-${createHash("sha256").update(taskId).digest("hex").slice(0, 10)}`;
    const old = { file: `cover/${oldFolder}/0.png`, thumb: `cover/${oldFolder}/0.thumb.webp` };
    expect(old.file).not.toBe(today!.file);
    fs.mkdirSync(path.join(server.storageDir, "cover", oldFolder));
    for (const key of ["file", "thumb"] as const)
      fs.renameSync(path.join(server.storageDir, today![key]), path.join(server.storageDir, old[key]));
    expect(
      await writeSql(server, "update assets set storage_path = ?, thumbnail_path = ? where id = ?", [old.file, old.thumb, stored.id]),
    ).toBe(1);

    expect(Buffer.from(await (await fetchFile(stored.fileUrl!)).arrayBuffer()).equals(png1)).toBe(true);
    expect((await fetchFile(stored.thumbnailUrl!)).status).toBe(200);

    expect((await fetchFile(`/api/assets/${stored.id}/download`, { method: "POST" })).status).toBe(202);
    await waitForAssets(server, taskId, (a) => a[0]!.status === "stored" && a[0]!.storedAt! > stored.storedAt!);
    expect(await server.sql("select storage_path as file, thumbnail_path as thumb from assets where id = ?", [stored.id])).toEqual([today]);
    expect(fs.readdirSync(path.join(server.storageDir, "cover", oldFolder))).toEqual([]);
    expect(fs.readFileSync(path.join(server.storageDir, today!.file)).equals(png1)).toBe(true);
  });

  describe("permanent failures end failed with a clear error", () => {
    it.each([
      ["/missing.png", /^HTTP 404 Not Found: the file is not \(or no longer\) at the remote URL$/],
      ["/gone.png", /^HTTP 410 Gone/],
      ["/page.png", /^wrong content: expected a PNG, JPEG or WebP image, got an HTML\/XML page$/],
      ["/big-declared.png", /^too large: the server announces \d+ bytes, the limit is 1000000 bytes \(DOWNLOAD_MAX_BYTES\)$/],
      ["/big-chunked.png", /^too large: more than 1000000 bytes arrived, the limit is 1000000 bytes \(DOWNLOAD_MAX_BYTES\)$/],
    ])("%s", async (remotePath, error) => {
      const taskId = uniqueTaskId("fail");
      await server.callback(coverSuccess(taskId, [`${files.url}${remotePath}`]));
      const { assets, events } = await waitForAssets(server, taskId, settled);
      expect(assets[0]).toMatchObject({ status: "failed", attempts: 1, fileUrl: null });
      expect(assets[0]!.error).toMatch(error);
      expect(events.some((e) => e.type === "download_failed" && e.detail?.includes(assets[0]!.error!))).toBe(true);
      const file = await fetchFile(`/api/assets/${assets[0]!.id}/file`);
      expect(file.status).toBe(404);
      expect((await file.json()).error.code).toBe("not_stored");
      // Nothing half-written is left behind.
      expect(fs.readdirSync(path.join(server.storageDir, ".tmp"))).toEqual([]);
    });

    it("a WAV task whose URL serves a PNG", async () => {
      const taskId = uniqueTaskId("wrongwav");
      await server.callback(wavSuccess(taskId, `${files.url}/cover-0.png`));
      const { assets } = await waitForAssets(server, taskId, settled);
      expect(assets[0]!.error).toBe("wrong content: expected a WAV (RIFF/WAVE) file, got bytes starting 89504e470d0a1a0a");
    });
  });

  describe("transient failures are retried", () => {
    it("a stalled server times out and waits for its retry with the error shown", async () => {
      const taskId = uniqueTaskId("stall");
      const closedBefore = files.closedConnections();
      await server.callback(coverSuccess(taskId, [`${files.url}/stall.png`]));
      const { assets, events } = await waitForAssets(server, taskId, (a) => a[0]!.error !== null, 15_000);
      expect(assets[0]).toMatchObject({
        status: "pending",
        attempts: 1,
        error: `timed out after ${TIMEOUT_SECONDS} s (DOWNLOAD_TIMEOUT_SECONDS)`,
        bytesReceived: 100,
      });
      expect(events.find((e) => e.type === "download_failed")?.detail).toMatch(/timed out after 2 s .*; retrying in 5 s$/);
      // The dashboard hung up instead of waiting forever.
      expect(files.closedConnections()).toBeGreaterThan(closedBefore);
    });

    it("429 waits at least as long as Retry-After asks", async () => {
      const taskId = uniqueTaskId("busy");
      await server.callback(coverSuccess(taskId, [`${files.url}/busy.png`]));
      const { assets, events } = await waitForAssets(server, taskId, (a) => a[0]!.error !== null);
      expect(assets[0]).toMatchObject({ status: "pending", attempts: 1, error: "HTTP 429 Too Many Requests" });
      expect(events.find((e) => e.type === "download_failed")?.detail).toBe("image 1: HTTP 429 Too Many Requests; retrying in 7 s");
    });

    it("500 then 200: retried and stored", async () => {
      const taskId = uniqueTaskId("flaky");
      await server.callback(coverSuccess(taskId, [`${files.url}/flaky.png`]));
      const first = await waitForAssets(server, taskId, (a) => a[0]!.error !== null || a[0]!.status === "stored");
      expect(first.assets[0]).toMatchObject({ status: "pending", attempts: 1, error: "HTTP 500 Internal Server Error" });
      const { assets } = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored", 15_000);
      expect(assets[0]).toMatchObject({ attempts: 2, error: null, sha256: sha256(png1) });
      expect(files.hits("/flaky.png")).toBe(2);
    });
  });

  describe("re-download", () => {
    it("brings back a stored file that was deleted by hand", async () => {
      const taskId = uniqueTaskId("redl");
      await server.callback(coverSuccess(taskId, [`${files.url}/cover-1.png`]));
      const { assets } = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored");
      const asset = assets[0]!;
      fs.rmSync(path.join(server.storageDir, "cover", taskId, "0.png"));
      const missing = await fetchFile(asset.fileUrl!);
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe("file_missing");

      const hitsBefore = files.hits("/cover-1.png");
      const res = await fetchFile(`/api/assets/${asset.id}/download`, { method: "POST" });
      expect(res.status).toBe(202);
      const answer = await res.json();
      expect(answer.task.taskId).toBe(taskId);
      const again = await waitForAssets(server, taskId, (a) => a[0]!.status === "stored" && files.hits("/cover-1.png") > hitsBefore);
      expect(again.assets[0]).toMatchObject({ attempts: 1, sha256: sha256(png1) });
      expect(again.events.some((e) => e.type === "download_requested")).toBe(true);
      expect(Buffer.from(await (await fetchFile(asset.fileUrl!)).arrayBuffer()).equals(png1)).toBe(true);
    });

    it("of a whole task answers its detail and fetches every file again", async () => {
      const taskId = uniqueTaskId("redltask");
      await server.callback(coverSuccess(taskId, [`${files.url}/cover-0.png`, `${files.url}/missing.png`]));
      await waitForAssets(server, taskId, settled);
      const hitsBefore = files.hits("/cover-0.png") + files.hits("/missing.png");
      const res = await fetchFile(`/api/tasks/${taskId}/download`, { method: "POST" });
      expect(res.status).toBe(202);
      const answer = await res.json();
      expect(answer.task.taskId).toBe(taskId);
      expect(answer.assets).toHaveLength(2);
      await waitForAssets(server, taskId, (a) => settled(a) && files.hits("/cover-0.png") + files.hits("/missing.png") === hitsBefore + 2);
      const after = await taskDetail(server, taskId);
      expect(after.assets.map((a) => a.status)).toEqual(["stored", "failed"]);
    });

    it("answers 404 for unknown ids and 409 for a task without files", async () => {
      expect((await fetchFile("/api/assets/999999/download", { method: "POST" })).status).toBe(404);
      expect((await fetchFile("/api/assets/abc/download", { method: "POST" })).status).toBe(404);
      expect((await fetchFile("/api/tasks/no-such-task/download", { method: "POST" })).status).toBe(404);
      const failed = uniqueTaskId("nofiles");
      await server.callback({ code: 501, msg: "failed", data: { taskId: failed } });
      const res = await fetchFile(`/api/tasks/${failed}/download`, { method: "POST" });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe("no_files");
    });

    it("serving answers 404 JSON for unknown or malformed asset ids", async () => {
      for (const id of ["999999", "abc", "-1", "1.5", "..%2F..%2Fetc%2Fpasswd"]) {
        const res = await fetchFile(`/api/assets/${id}/file`);
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe("not_found");
      }
    });
  });
});
