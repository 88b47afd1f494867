// Thumbnails and waveforms (lib/media), over real HTTP against `next start`:
// a stored cover gets a small WebP served with long caching, covers stored
// before thumbnails existed get one on first request, a stored WAV has its
// waveform measured on the way in, and a WAV whose samples cannot be read
// still stores, just without a waveform. A hostile cover (a progressive JPEG
// built to cost sharp seconds per thumbnail) is stored once with one refused
// thumbnail attempt, and a thumbnail that failed is not tried again on every request.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskListItem } from "@/db/queries/tasks";
import type { Waveform } from "@/lib/media/wav-peaks";
import { makeHostileJpeg, makePng, makeWavFile } from "../scripts/lib/media";
import { allStored, sha256, waitForAssets } from "./helpers/assets";
import { coverSuccess, wavSuccess } from "./helpers/callbacks";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";

const bigPng = makePng(1200, 800, 2);
const smallPng = makePng(200, 120, 3);
const wav = makeWavFile({ seconds: 3, sampleRate: 22_050, channels: 2, encoding: "int24", listBytes: 33 });
// 7000² pixels and 5000 scans: ~20 s of sharp's CPU per attempt, longer than a download's 15 s lease.
const hostileJpeg = makeHostileJpeg({ scans: 5000 });
// A PNG cut short: it passes the content check, sharp cannot decode it.
const brokenPng = bigPng.subarray(0, 4096);
// RIFF/WAVE passes the content check, but the fmt chunk describes nothing readable.
const brokenWav = Buffer.concat([Buffer.from("RIFF\x00\x10\x00\x00WAVEfmt \x02\x00\x00\x00", "latin1"), Buffer.alloc(4096, 7)]);

describeEachDatabase("thumbnails and waveforms", (database) => {
  let files: FileServer;
  let replaced = false;
  beforeAll(async () => {
    files = await startFileServer();
    files.route("/big.png", bytes(bigPng, "image/png"));
    files.route("/small.png", bytes(smallPng, "image/png"));
    files.route("/changing.png", (req, res) => bytes(replaced ? smallPng : bigPng, "image/png")(req, res));
    files.route("/song.wav", bytes(wav, "audio/wav"));
    files.route("/broken.wav", bytes(brokenWav, "audio/wav"));
    files.route("/hostile.jpg", bytes(hostileJpeg, "image/jpeg"));
    files.route("/broken.png", bytes(brokenPng, "image/png"));
  });
  afterAll(() => files?.close());
  const server = setupServer(database, { env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
  const get = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, server().url), init);
  /** Thumbnail attempts that failed for a stored file, as the server logged them. */
  const failedAttempts = (storagePath: string) =>
    server()
      .log()
      .split("\n")
      .filter((line) => line.includes(`[thumbnails] ${storagePath}: `)).length;

  it("stores a thumbnail ≤ 320 px wide beside each cover and serves it cacheable for good", async () => {
    const taskId = uniqueTaskId("thumb");
    await server().callback(coverSuccess(taskId, [`${files.url}/big.png`, `${files.url}/small.png`]));
    const { assets } = await waitForAssets(server(), taskId, allStored);
    const [big, small] = assets;
    expect(big!.thumbnailUrl).toBe(`/api/assets/${big!.id}/thumbnail?v=${sha256(bigPng).slice(0, 16)}`);

    const res = await get(big!.thumbnailUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"thumb-[0-9a-f]{64}"$/);
    const thumbnail = Buffer.from(await res.arrayBuffer());
    expect(thumbnail.length).toBeLessThan(bigPng.length);
    const meta = await sharp(thumbnail).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 320, height: 213 });
    // Made once, on storing: it is in storage beside the cover.
    expect(fs.existsSync(path.join(server().storageDir, "cover", taskId, "0.thumb.webp"))).toBe(true);

    const again = await get(big!.thumbnailUrl!, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);

    // A small cover is never enlarged.
    const smallMeta = await sharp(Buffer.from(await (await get(small!.thumbnailUrl!)).arrayBuffer())).metadata();
    expect(smallMeta).toMatchObject({ format: "webp", width: 200, height: 120 });

    // The list shows the first cover's thumbnail.
    const list = await server().getJson<{ items: TaskListItem[] }>(`/api/tasks?q=${taskId}`);
    expect(list.body.items[0]!.thumbnailUrl).toBe(big!.thumbnailUrl);
  });

  it("makes the thumbnail of a cover stored before thumbnails existed on first request", async () => {
    const taskId = uniqueTaskId("thumb-old");
    await server().callback(coverSuccess(taskId, [`${files.url}/big.png`]));
    const { assets } = await waitForAssets(server(), taskId, allStored);
    const asset = assets[0]!;
    // As a cover stored by an older version: no thumbnail recorded, none in storage.
    fs.rmSync(path.join(server().storageDir, "cover", taskId, "0.thumb.webp"));
    expect(await writeSql(server(), "update assets set thumbnail_path = null where id = ?", [asset.id])).toBe(1);

    const res = await get(asset.thumbnailUrl!);
    expect(res.status).toBe(200);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(320);
    expect(await server().sql("select thumbnail_path as p from assets where id = ?", [asset.id])).toEqual([
      { p: `cover/${taskId}/0.thumb.webp` },
    ]);
  });

  it("changes the thumbnail URL when a re-download brings another file", async () => {
    const taskId = uniqueTaskId("thumb-new");
    replaced = false;
    await server().callback(coverSuccess(taskId, [`${files.url}/changing.png`]));
    const before = (await waitForAssets(server(), taskId, allStored)).assets[0]!;
    replaced = true;
    const queued = await fetch(new URL(`/api/assets/${before.id}/download`, server().url), { method: "POST" });
    expect(queued.status).toBe(202);
    const after = (await waitForAssets(server(), taskId, (a) => allStored(a) && a[0]!.sha256 === sha256(smallPng))).assets[0]!;
    expect(after.thumbnailUrl).not.toBe(before.thumbnailUrl);
    expect((await sharp(Buffer.from(await (await get(after.thumbnailUrl!)).arrayBuffer())).metadata()).width).toBe(200);
    // The old URL no longer names this file: not cacheable for good.
    expect((await get(before.thumbnailUrl!)).headers.get("cache-control")).toBe("private, no-cache");
  });

  it("stores a hostile cover once, with one refused thumbnail attempt", async () => {
    const taskId = uniqueTaskId("hostile");
    await server().callback(coverSuccess(taskId, [`${files.url}/hostile.jpg`]));
    const asset = (await waitForAssets(server(), taskId, allStored, 30_000)).assets[0]!;
    expect(asset).toMatchObject({ sha256: sha256(hostileJpeg), bytes: hostileJpeg.length, error: null });
    const [row] = await server().sql<{ attempts: number; thumbnail_path: string | null; failed_at: number | null }>(
      "select attempts, thumbnail_path, thumbnail_failed_at as failed_at from assets where id = ?",
      [asset.id],
    );
    expect(row).toMatchObject({ attempts: 1, thumbnail_path: null });
    expect(row!.failed_at).toBeGreaterThan(Date.now() - 60_000);
    expect(files.hits("/hostile.jpg")).toBe(1);
    const key = `cover/${taskId}/0.jpg`;
    expect(failedAttempts(key)).toBe(1);
    expect(server().log()).toMatch(/no thumbnail: a JPEG of 5001 scans \(more than 100\) is not decoded/);

    // Asking for its thumbnail tries nothing again.
    for (let i = 0; i < 3; i++) {
      const res = await server().getJson<{ error: { code: string } }>(asset.thumbnailUrl!);
      expect(res).toMatchObject({ status: 404, body: { error: { code: "no_thumbnail" } } });
    }
    // Nor does the worker: still one download, one attempt, a few seconds later.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(files.hits("/hostile.jpg")).toBe(1);
    expect(failedAttempts(key)).toBe(1);
    expect(await server().sql("select attempts, status from assets where id = ?", [asset.id])).toEqual([{ attempts: 1, status: "stored" }]);
  });

  it("tries a failed thumbnail again only a day later, not on every request", async () => {
    const taskId = uniqueTaskId("thumb-broken");
    await server().callback(coverSuccess(taskId, [`${files.url}/broken.png`]));
    const asset = (await waitForAssets(server(), taskId, allStored)).assets[0]!;
    const key = `cover/${taskId}/0.png`;
    expect(failedAttempts(key)).toBe(1);
    for (let i = 0; i < 3; i++) expect((await get(asset.thumbnailUrl!)).status).toBe(404);
    expect(failedAttempts(key)).toBe(1);

    // A day later, the next request tries once more, and remembers the new failure.
    const dayAgo = Date.now() - 86_400_000 - 1_000;
    expect(await writeSql(server(), "update assets set thumbnail_failed_at = ? where id = ?", [dayAgo, asset.id])).toBe(1);
    for (let i = 0; i < 3; i++) expect((await get(asset.thumbnailUrl!)).status).toBe(404);
    expect(failedAttempts(key)).toBe(2);
    const [row] = await server().sql<{ failed_at: number }>("select thumbnail_failed_at as failed_at from assets where id = ?", [asset.id]);
    expect(row!.failed_at).toBeGreaterThan(dayAgo + 86_400_000);
    // Nothing was left in storage for it.
    expect(fs.existsSync(path.join(server().storageDir, "cover", taskId, "0.thumb.webp"))).toBe(false);
  });

  it("measures a stored WAV's waveform while it downloads", async () => {
    const taskId = uniqueTaskId("wave");
    await server().callback(wavSuccess(taskId, `${files.url}/song.wav`));
    const asset = (await waitForAssets(server(), taskId, allStored)).assets[0]!;
    expect(asset.sha256).toBe(sha256(wav));
    expect(asset.waveformUrl).toBe(`/api/assets/${asset.id}/waveform`);
    expect(asset.thumbnailUrl).toBeNull();

    const res = await server().getJson<Waveform>(asset.waveformUrl!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ durationSeconds: 3, sampleRate: 22_050, channels: 2 });
    expect(res.body.peaks).toHaveLength(1000);
    // Half loud, then full loud.
    expect(Math.max(...res.body.peaks.slice(0, 490))).toBeCloseTo(0.5, 1);
    expect(Math.min(...res.body.peaks.slice(510))).toBeGreaterThan(0.95);

    const thumbnail = await server().getJson<{ error: { code: string } }>(`/api/assets/${asset.id}/thumbnail`);
    expect(thumbnail).toMatchObject({ status: 404, body: { error: { code: "no_thumbnail" } } });
  });

  it("stores a WAV whose samples cannot be read, without a waveform", async () => {
    const taskId = uniqueTaskId("wave-broken");
    await server().callback(wavSuccess(taskId, `${files.url}/broken.wav`));
    const asset = (await waitForAssets(server(), taskId, allStored)).assets[0]!;
    expect(asset).toMatchObject({ bytes: brokenWav.length, sha256: sha256(brokenWav), waveformUrl: null, error: null });
    const res = await server().getJson<{ error: { code: string } }>(`/api/assets/${asset.id}/waveform`);
    expect(res).toMatchObject({ status: 404, body: { error: { code: "no_waveform" } } });
    expect((await server().getJson("/api/assets/999999/waveform")).status).toBe(404);
  });
});

describeEachDatabase("thumbnails from a bucket", (database) => {
  let files: FileServer;
  let s3: S3Server;
  let server: TestServer;
  beforeAll(async () => {
    [files, s3] = await Promise.all([startFileServer(), startS3()]);
    files.route("/big.png", bytes(bigPng, "image/png"));
    server = await startServer({ database, env: { ...s3.env, DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([files?.close(), s3?.stop()]);
  });

  it("serves the thumbnail itself (no redirect to an expiring URL), cacheable for good", async () => {
    const taskId = uniqueTaskId("thumb-s3");
    await server.callback(coverSuccess(taskId, [`${files.url}/big.png`]));
    const asset = (await waitForAssets(server, taskId, allStored)).assets[0]!;
    const res = await fetch(new URL(asset.thumbnailUrl!, server.url), { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(320);
  });
});
