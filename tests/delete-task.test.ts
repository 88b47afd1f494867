// DELETE /api/tasks/{taskId} on a real server: the rows and the stored files go
// (local folder per database driver, and once with an S3 bucket), a later
// callback for the same id creates the task again, and a file still
// downloading when its task is deleted leaves nothing in storage (each driver,
// each storage).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { allStored, waitForAssets } from "./helpers/assets";
import { coverSuccess } from "./helpers/callbacks";
import { describeEachDatabase, setupServer } from "./helpers/drivers";
import { bytes, startFileServer, type FileServer, type Handler } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";
import { namedKeys, storageKeys } from "./helpers/storage-listing";
import { waitFor } from "./helpers/wait";

const png = makePng(40, 40, 7);
let files: FileServer;
beforeAll(async () => {
  files = await startFileServer();
  files.route("/d.png", bytes(png, "image/png"));
});
afterAll(() => files?.close());

const callback = (taskId: string) => coverSuccess(taskId, [`${files.url}/d.png?0`, `${files.url}/d.png?1`]);
const remove = (server: TestServer, taskId: string) => fetch(`${server.url}/api/tasks/${encodeURIComponent(taskId)}`, { method: "DELETE" });

/** Stores a two-file cover task; answers its id and its files' storage keys. */
async function storedTask(server: TestServer): Promise<{ taskId: string; keys: string[] }> {
  const taskId = uniqueTaskId("del");
  expect((await server.callback(callback(taskId))).status).toBe(200);
  await server.callback(callback(taskId)); // a duplicate: a second delivery row
  await waitForAssets(server, taskId, allStored);
  const rows = await server.sql<{ storage_path: string }>("select storage_path from assets where task_id = ? order by position", [taskId]);
  return { taskId, keys: rows.map((r) => r.storage_path) };
}

async function expectGone(server: TestServer, taskId: string) {
  expect((await server.getJson(`/api/tasks/${taskId}`)).status).toBe(404);
  for (const table of ["tasks", "assets", "events", "deliveries"]) {
    expect(await server.sql(`select count(*) as n from ${table} where task_id = ?`, [taskId])).toEqual([{ n: 0 }]);
  }
}

/** A later callback for the id makes the task again, with its files. */
async function expectRecreated(server: TestServer, taskId: string) {
  expect((await server.callback(callback(taskId))).status).toBe(200);
  const again = await waitForAssets(server, taskId, allStored);
  expect(again.task).toMatchObject({ status: "succeeded", deliveryCount: 1 });
  expect(again.deliveries).toHaveLength(1);
}

describeEachDatabase("delete a task", (database) => {
  const server = setupServer(database, { env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });

  it("deletes the rows and the files on disk; a later callback recreates the task", async () => {
    const { taskId, keys } = await storedTask(server());
    const onDisk = keys.map((key) => path.join(server().storageDir, key));
    expect(onDisk.every((file) => fs.existsSync(file))).toBe(true);
    const other = await storedTask(server());

    const res = await remove(server(), taskId);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    await expectGone(server(), taskId);
    expect(onDisk.some((file) => fs.existsSync(file))).toBe(false);
    // Another task is untouched.
    expect((await taskDetail(server(), other.taskId)).assets.every((a) => a.status === "stored")).toBe(true);
    expect(other.keys.every((key) => fs.existsSync(path.join(server().storageDir, key)))).toBe(true);

    expect((await remove(server(), taskId)).status).toBe(404);
    await expectRecreated(server(), taskId);
    expect(onDisk.every((file) => fs.existsSync(file))).toBe(true);
  });

  it("answers 404 for an unknown task", async () => {
    const res = await remove(server(), uniqueTaskId("nobody"));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});

describe("delete a task with object storage", () => {
  let s3: S3Server;
  let server: TestServer;
  beforeAll(async () => {
    s3 = await startS3({ prefix: "files" });
    server = await startServer({ env: { ...s3.env, DOWNLOAD_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
  });
  /** Whether the bucket holds `key` (s3rver answers unsigned requests). */
  const inBucket = async (key: string) => (await fetch(`${s3.endpoint}/${s3.bucket}/files/${key}`, { method: "HEAD" })).status === 200;

  it("deletes the objects from the bucket", async () => {
    const { taskId, keys } = await storedTask(server);
    expect(await Promise.all(keys.map(inBucket))).toEqual([true, true]);
    expect((await remove(server, taskId)).status).toBe(204);
    await expectGone(server, taskId);
    expect(await Promise.all(keys.map(inBucket))).toEqual([false, false]);
    await expectRecreated(server, taskId);
    expect(await Promise.all(keys.map(inBucket))).toEqual([true, true]);
  });
});

/** Serves `body` but the last `tailBytes`, then the rest once `release()` is called. */
function held(body: Buffer, contentType: string, tailBytes: number): { handler: Handler; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": body.length });
    res.write(body.subarray(0, body.length - tailBytes));
    void released.then(() => res.end(body.subarray(body.length - tailBytes)));
  };
  return { handler, release };
}

describeEachDatabase("delete a task while its file downloads", (database) => {
  describe.each(["folder", "bucket"] as const)("storage: %s", (where) => {
    let s3: S3Server | undefined;
    let server: TestServer;
    beforeAll(async () => {
      if (where === "bucket") s3 = await startS3({ prefix: "files" });
      server = await startServer({ database, env: { ...s3?.env, DOWNLOAD_ALLOW_PRIVATE: "1" } });
    });
    afterAll(async () => {
      await server?.close();
      await s3?.stop();
    });

    it("leaves no file and no thumbnail behind", async () => {
      const cover = makePng(400, 400, 5);
      const slow = held(cover, "image/png", 100);
      const route = `/held-${where}-${database}.png`;
      files.route(route, slow.handler);
      const kept = await storedTask(server); // another task's files stay
      const taskId = uniqueTaskId("del-busy");
      expect((await server.callback(coverSuccess(taskId, [`${files.url}${route}`]))).status).toBe(200);
      // All but the tail has arrived and been reported: the next lease renewal is seconds away.
      const [asset] = await waitFor(
        () => server.sql<{ id: number; received: number }>("select id, bytes_received as received from assets where task_id = ?", [taskId]),
        (rows) => rows[0] !== undefined && rows[0].received >= cover.length - 100,
      );
      expect(asset!.received).toBeGreaterThanOrEqual(cover.length - 100);

      expect((await remove(server, taskId)).status).toBe(204);
      slow.release();
      // The attempt finishes after the delete: it stores the file and thumbnail, finds its row gone, and cleans up.
      const said = `asset ${asset!.id}: the claim was lost (its task was deleted)`;
      await waitFor(
        async () => server.log(),
        (log) => log.includes(said),
        { timeoutMs: 10_000, what: said },
      );
      await expectGone(server, taskId);
      const bucket = s3 ? { s3, prefix: "files" } : undefined;
      expect(await storageKeys(server, bucket)).toEqual(await namedKeys(server));
      expect(await namedKeys(server)).toEqual(expect.arrayContaining(kept.keys));
      expect(server.log()).toContain(said);
    });
  });
});
