// DELIVERY_RETENTION_DAYS and FILE_RETENTION_DAYS on a real server, once per
// database driver: rows are aged in the test database, then retention runs
// (the cron tick, and after() a callback's answer without a worker) and removes
// exactly what is older than allowed: files from disk, bodies from deliveries.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Delivery, Page } from "@/db/queries/dto";
import { makeMp3, makePng } from "../scripts/lib/media";
import { makeMp4 } from "../scripts/lib/mp4";
import { allStored, waitForAssets } from "./helpers/assets";
import { coverSuccess } from "./helpers/callbacks";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";
import { namedKeys, storageKeys } from "./helpers/storage-listing";
import { waitFor } from "./helpers/wait";

const CRON_SECRET = "cron-secret-0123456789abcdef";
const DAY_MS = 86_400_000;
const png = makePng(48, 48, 3);
const mp3 = makeMp3(1, "kept a while");
const mp4 = makeMp4({ seed: 5 });

let files: FileServer;
beforeAll(async () => {
  files = await startFileServer();
  files.route("/c.png", bytes(png, "image/png"));
  files.route("/k.mp3", bytes(mp3, "audio/mpeg"));
  files.route("/k.mp4", bytes(mp4, "video/mp4"));
});
afterAll(() => files?.close());

/** Makes a cover task with two stored files; answers its id. */
async function storedTask(server: TestServer, prefix: string): Promise<string> {
  const taskId = uniqueTaskId(prefix);
  const res = await server.callback(coverSuccess(taskId, [`${files.url}/c.png?${taskId}-0`, `${files.url}/c.png?${taskId}-1`]));
  expect(res.status).toBe(200);
  await waitForAssets(server, taskId, allStored);
  return taskId;
}

/** Moves a task's files and deliveries `days` into the past. */
async function age(server: TestServer, taskId: string, days: number): Promise<void> {
  const at = Date.now() - days * DAY_MS;
  await writeSql(server, "update assets set stored_at = ? where task_id = ?", [at, taskId]);
  await writeSql(server, "update deliveries set received_at = ? where task_id = ?", [at, taskId]);
}

const tick = (server: TestServer) =>
  fetch(`${server.url}/api/cron/tick`, { headers: { authorization: `Bearer ${CRON_SECRET}` } }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { retention: Record<string, number | boolean> },
  }));

describeEachDatabase("retention", (database) => {
  describe("with the worker, run by the cron tick", () => {
    const server = setupServer(database, {
      env: { DELIVERY_RETENTION_DAYS: "30", FILE_RETENTION_DAYS: "10", CRON_SECRET, DOWNLOAD_ALLOW_PRIVATE: "1" },
    });

    it("removes exactly the files and delivery bodies older than allowed", async () => {
      const old = await storedTask(server(), "old"); // files 40 days, deliveries 40 days: both go
      const middle = await storedTask(server(), "mid"); // 20 days: files go, deliveries stay
      const fresh = await storedTask(server(), "new"); // 5 days: everything stays
      await age(server(), old, 40);
      await age(server(), middle, 20);
      await age(server(), fresh, 5);
      // A rejected delivery has no task, and is pruned by age alike.
      await server().callback({ not: "a callback", marker: "rejected-old" });
      await writeSql(server(), "update deliveries set received_at = ? where body like '%rejected-old%'", [Date.now() - 31 * DAY_MS]);
      const storagePaths = async (taskId: string) =>
        (await server().sql<{ storage_path: string }>("select storage_path from assets where task_id = ?", [taskId])).map((r) =>
          path.join(server().storageDir, r.storage_path),
        );
      const [oldFiles, middleFiles, freshFiles] = [await storagePaths(old), await storagePaths(middle), await storagePaths(fresh)];
      for (const file of [...oldFiles, ...middleFiles, ...freshFiles]) expect(fs.existsSync(file)).toBe(true);

      const { status, body } = await tick(server());
      expect(status).toBe(200);
      expect(body.retention).toMatchObject({ deliveriesPruned: 2, filesRemoved: 4, bytesFreed: 4 * png.length, done: true });

      for (const file of [...oldFiles, ...middleFiles]) expect(fs.existsSync(file)).toBe(false);
      for (const file of freshFiles) expect(fs.existsSync(file)).toBe(true);
      // Their thumbnails went with them: the folder holds nothing the database does not name.
      const thumbnails = (taskId: string) =>
        server().sql("select thumbnail_path as t from assets where task_id = ? order by position", [taskId]);
      for (const taskId of [old, middle]) expect(await thumbnails(taskId)).toEqual([{ t: null }, { t: null }]);
      expect(await thumbnails(fresh)).toEqual([{ t: `cover/${fresh}/0.thumb.webp` }, { t: `cover/${fresh}/1.thumb.webp` }]);
      expect(await storageKeys(server())).toEqual(await namedKeys(server()));

      for (const taskId of [old, middle]) {
        const { assets, events } = await taskDetail(server(), taskId);
        for (const asset of assets) {
          expect(asset).toMatchObject({ status: "removed", removedReason: "retention", fileUrl: null });
          expect(Date.parse(asset.removedAt!)).toBeGreaterThan(Date.now() - 60_000);
        }
        expect(events.filter((e) => e.type === "file_removed")).toHaveLength(2);
      }
      expect((await taskDetail(server(), fresh)).assets.every((a) => a.status === "stored" && a.removedAt === null)).toBe(true);

      const oldDetail = await taskDetail(server(), old);
      expect(oldDetail.deliveries).toHaveLength(1);
      expect(oldDetail.deliveries[0]).toMatchObject({ body: "", headers: {}, verdict: "accepted", taskId: old });
      expect(oldDetail.deliveries[0]!.prunedAt).not.toBeNull();
      for (const taskId of [middle, fresh]) {
        const [delivery] = (await taskDetail(server(), taskId)).deliveries;
        expect(delivery).toMatchObject({ prunedAt: null, verdict: "accepted" });
        expect(delivery!.body).toContain(taskId);
      }
      const rejected = await server().getJson<Page<Delivery>>("/api/deliveries?verdict=rejected");
      expect(rejected.body.items.find((d) => d.prunedAt !== null)).toMatchObject({ body: "", verdict: "rejected" });
      // A pruned body cannot be searched or replayed any more.
      expect((await server().getJson<Page<Delivery>>(`/api/deliveries?q=${old}`)).body.items).toHaveLength(0);
      const replay = await fetch(`${server().url}/api/deliveries/${oldDetail.deliveries[0]!.id}/replay`, { method: "POST" });
      expect(replay.status).toBe(409);
      expect((await replay.json()).error.code).toBe("delivery_pruned");

      // Nothing more is old enough: the next run removes nothing.
      expect((await tick(server())).body.retention).toMatchObject({ deliveriesPruned: 0, filesRemoved: 0 });

      // The setup page says what the last run removed.
      const setup = (await (await fetch(`${server().url}/setup`)).text()).replaceAll("<!-- -->", "");
      expect(setup).toContain("FILE_RETENTION_DAYS=10");
      expect(setup).toContain("2 deliveries pruned");
      expect(setup).toContain("4 files removed");
    });

    it("Re-download brings a removed file back while the provider has it", async () => {
      const taskId = await storedTask(server(), "back");
      await age(server(), taskId, 11);
      expect((await tick(server())).body.retention).toMatchObject({ filesRemoved: 2 });
      const [asset] = (await taskDetail(server(), taskId)).assets;
      expect(asset!.status).toBe("removed");
      const res = await fetch(`${server().url}/api/assets/${asset!.id}/download`, { method: "POST" });
      expect(res.status).toBe(202);
      const after = await waitForAssets(server(), taskId, (assets) => assets[0]!.status === "stored");
      expect(after.assets[0]!.fileUrl).not.toBeNull();
      expect(Buffer.from(await (await fetch(`${server().url}${after.assets[0]!.fileUrl}`)).arrayBuffer())).toEqual(png);
      expect(after.assets[1]!.status).toBe("removed");
    });

    it("removes every kind's files alike: a music track's MP3 and art, a separation's stems, a video; tracks stay listed", async () => {
      const music = uniqueTaskId("old-music");
      const separation = uniqueTaskId("old-separation");
      const video = uniqueTaskId("old-video");
      const track = {
        id: "trk-old",
        audio_url: `${files.url}/k.mp3?${music}`,
        image_url: `${files.url}/c.png?${music}`,
        title: "Old song",
      };
      const bodies = [
        { code: 200, msg: "ok", data: { callbackType: "complete", task_id: music, data: [track] } },
        {
          code: 200,
          msg: "ok",
          data: {
            task_id: separation,
            vocal_removal_info: { vocal_url: `${files.url}/k.mp3?${separation}-v`, instrumental_url: `${files.url}/k.mp3?${separation}-i` },
          },
        },
        { code: 200, msg: "ok", data: { task_id: video, video_url: `${files.url}/k.mp4?${video}` } },
      ];
      for (const body of bodies) expect((await server().callback(body)).status).toBe(200);
      for (const [taskId, count] of [
        [music, 2],
        [separation, 2],
        [video, 1],
      ] as const)
        await waitForAssets(server(), taskId, (a) => a.length === count && allStored(a));
      for (const taskId of [music, separation, video]) await age(server(), taskId, 11);

      expect((await tick(server())).body.retention).toMatchObject({
        filesRemoved: 5,
        bytesFreed: 3 * mp3.length + png.length + mp4.length,
      });
      const removedTexts: string[] = [];
      for (const taskId of [music, separation, video]) {
        const detail = await taskDetail(server(), taskId);
        for (const asset of detail.assets)
          expect(asset, taskId).toMatchObject({ status: "removed", removedReason: "retention", fileUrl: null });
        removedTexts.push(...detail.events.filter((e) => e.type === "file_removed").map((e) => e.detail ?? ""));
      }
      expect(removedTexts.map((t) => t.split(":")[0]).sort()).toEqual(
        ["the MP3 of track trk-old", "the art of track trk-old", "the instrumental stem", "the video", "the vocals stem"].sort(),
      );
      // The files went, what the task said did not: the music task still lists its track.
      expect((await taskDetail(server(), music)).tracks.map((t) => [t.trackId, t.title])).toEqual([["trk-old", "Old song"]]);
      expect(await storageKeys(server())).toEqual(await namedKeys(server()));
    });
  });

  describe("without a worker, run after a callback's answer", () => {
    const server = setupServer(database, { env: { WORKER: "0", DELIVERY_RETENTION_DAYS: "1" } });

    it("prunes old deliveries once per interval, claimed through the database", async () => {
      const taskId = uniqueTaskId("after");
      await server().callback({ code: 501, msg: "old news", data: { taskId } });
      await writeSql(server(), "update deliveries set received_at = ? where task_id = ?", [Date.now() - 2 * DAY_MS, taskId]);
      // That callback's own run came before the aging; pretend the interval has passed.
      await writeSql(server(), "delete from settings where key = 'retention_run_at'");
      await server().callback({ code: 501, msg: "new news", data: { taskId: uniqueTaskId("after") } });
      const pruned = await waitFor(
        () => server().sql("select id from deliveries where task_id = ? and pruned_at is not null and body = ''", [taskId]),
        (rows) => rows.length > 0,
        { timeoutMs: 10_000, what: "the old delivery pruned" },
      );
      expect(pruned).toHaveLength(1);
      expect(await server().sql("select count(*) as n from deliveries where pruned_at is not null")).toEqual([{ n: 1 }]);
    });
  });
});

describeEachDatabase("file retention in a bucket", (database) => {
  let s3: S3Server;
  let server: TestServer;
  beforeAll(async () => {
    s3 = await startS3();
    server = await startServer({ database, env: { ...s3.env, FILE_RETENTION_DAYS: "10", CRON_SECRET, DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
  });

  it("deletes the files and their thumbnails: the bucket holds nothing the database does not name", async () => {
    const old = await storedTask(server, "old-s3");
    const fresh = await storedTask(server, "new-s3");
    await age(server, old, 11);
    expect(await s3.keys()).toEqual(expect.arrayContaining([`cover/${old}/0.png`, `cover/${old}/0.thumb.webp`]));
    expect((await tick(server)).body.retention).toMatchObject({ filesRemoved: 2 });
    expect(
      await server.sql("select count(*) as n from assets where task_id = ? and (storage_path is not null or thumbnail_path is not null)", [
        old,
      ]),
    ).toEqual([{ n: 0 }]);
    const keys = await storageKeys(server, { s3 });
    expect(keys).toEqual(await namedKeys(server));
    expect(keys).toEqual(expect.arrayContaining([`cover/${fresh}/0.png`, `cover/${fresh}/1.thumb.webp`]));
    expect(keys.some((key) => key.includes(old))).toBe(false);
  });
});
