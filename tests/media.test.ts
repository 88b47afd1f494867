// Thumbnails and waveforms (lib/media), over real HTTP against `next start`:
// a stored cover gets a small WebP served with long caching, covers stored
// before thumbnails existed get one on first request, a stored WAV has its
// waveform measured on the way in, and a WAV whose samples cannot be read
// still stores, just without a waveform.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TaskListItem } from "@/db/queries/tasks";
import type { Waveform } from "@/lib/media/wav-peaks";
import { makePng, makeWavFile } from "../scripts/lib/media";
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
  });
  afterAll(() => files?.close());
  const server = setupServer(database, { env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
  const get = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, server().url), init);

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
