// Several instances on one libSQL server (a real sqld) and one bucket (a real
// S3 API) behave as one: every delivery stored once, every file fetched from
// its source exactly once, a killed instance's download taken over by another
// after its lease, and the provider's 20-in-10-s limit held across them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng, makeWav } from "../scripts/lib/media";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import type { Page, Task, TaskDetail } from "@/db/queries/dto";
import type { Health } from "@/lib/server/health";
import { sha256, waitForAssets } from "./helpers/assets";
import { bytes, slowly, startFileServer, type FileServer } from "./helpers/file-server";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";
import { startSqld, type Sqld } from "./helpers/sqld";

type Shared = { sqld: Sqld; s3: S3Server; files: FileServer };

async function startShared(): Promise<Shared> {
  const [sqld, s3, files] = await Promise.all([startSqld(), startS3(), startFileServer()]);
  return { sqld, s3, files };
}

/** An app instance on the shared database and bucket. */
function instance(shared: Shared, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({ databaseUrl: shared.sqld.url, env: { ...shared.s3.env, DOWNLOAD_ALLOW_PRIVATE: "1", WORKER: "1", ...env } });
}

async function stopAll(servers: (TestServer | undefined)[], shared: Shared | undefined) {
  await Promise.all(servers.map((s) => s?.stop()));
  await Promise.all([shared?.sqld.stop(), shared?.s3.stop(), shared?.files.close()]);
}

/** Fetches a stored file the way a browser does: the app's redirect, then the signed URL. */
async function storedBytes(server: TestServer, fileUrl: string): Promise<Buffer> {
  const redirect = await fetch(new URL(fileUrl, server.url), { redirect: "manual" });
  expect(redirect.status).toBe(302);
  const signed = await fetch(redirect.headers.get("location")!);
  expect(signed.status).toBe(200);
  return Buffer.from(await signed.arrayBuffer());
}

describe("two instances, one database, one bucket", () => {
  let shared: Shared;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    shared = await startShared();
    // Started together: both migrate the same empty database at once.
    [a, b] = await Promise.all([instance(shared), instance(shared)]);
  });
  afterAll(() => stopAll([a, b], shared));

  it("deliveries are stored once each, every file is fetched once, and both list the same tasks", async () => {
    const tasks = Array.from({ length: 12 }, () => uniqueTaskId("multi"));
    const images = new Map<string, Buffer>();
    tasks.forEach((taskId, t) =>
      [0, 1].forEach((i) => {
        const png = makePng(8 + t, 8 + i);
        images.set(`/${taskId}/${i}.png`, png);
        shared.files.route(`/${taskId}/${i}.png`, bytes(png, "image/png"));
      }),
    );
    const callback = (taskId: string) => ({
      code: 200,
      msg: "success",
      data: { taskId, images: [0, 1].map((i) => `${shared.files.url}/${taskId}/${i}.png`) },
    });
    // Each callback reaches both instances at once (a provider retry racing the first delivery).
    const statuses = await Promise.all(tasks.flatMap((taskId) => [a.callback(callback(taskId)), b.callback(callback(taskId))]));
    expect(statuses.map((r) => r.status)).toEqual(tasks.flatMap(() => [200, 200]));

    const details: TaskDetail[] = [];
    for (const taskId of tasks)
      details.push(await waitForAssets(a, taskId, (assets) => assets.every((x) => x.status === "stored"), 30_000));
    for (const path of images.keys()) expect(shared.files.hits(path), path).toBe(1);

    const ids = tasks.map((t) => `'${t}'`).join(",");
    const [counts] = await a.sql<{ tasks: number; deliveries: number; assets: number }>(
      `select (select count(*) from tasks where task_id in (${ids})) as tasks,
              (select count(*) from deliveries where task_id in (${ids})) as deliveries,
              (select count(*) from assets where task_id in (${ids})) as assets`,
    );
    expect(counts).toEqual({ tasks: 12, deliveries: 24, assets: 24 });
    for (const detail of details) {
      expect(detail.task.status).toBe("succeeded");
      expect(detail.events.filter((e) => e.type === "download_started")).toHaveLength(2);
    }

    // Both instances list the same tasks and serve the same stored bytes from the bucket.
    const list = async (server: TestServer) =>
      (await server.getJson<Page<Task>>("/api/tasks?limit=200")).body.items.map((t) => t.taskId).sort();
    expect(await list(a)).toEqual(await list(b));
    const first = details[0]!.assets[0]!;
    const expected = images.get(`/${first.taskId}/0.png`)!;
    expect(sha256(await storedBytes(a, first.fileUrl!))).toBe(sha256(expected));
    expect(sha256(await storedBytes(b, first.fileUrl!))).toBe(sha256(expected));
  });

  it("health names the shared drivers; the cron tick is off without CRON_SECRET", async () => {
    for (const server of [a, b]) {
      const health = await server.getJson<Health>("/api/health");
      expect(health.body).toMatchObject({ ok: true, database: { driver: "libsql" }, storage: { driver: "s3" }, worker: "in-process" });
      const tick = await fetch(new URL("/api/cron/tick", server.url), { headers: { authorization: "Bearer anything-at-all-12345" } });
      expect(tick.status).toBe(404);
    }
  });
});

describe("an instance killed mid-download", () => {
  let shared: Shared;
  let a: TestServer;
  let b: TestServer | undefined;
  // About 5 MiB at about 1 MiB/s: long enough to kill the instance midway.
  const wav = makeWav(30);
  beforeAll(async () => {
    shared = await startShared();
    shared.files.route("/slow.wav", slowly(wav, "audio/wav", 64 * 1024, 60));
    a = await instance(shared);
  });
  afterAll(() => stopAll([a, b], shared));

  it("leaves its download to the other instance, which takes it over after the lease and stores it", { timeout: 90_000 }, async () => {
    const taskId = uniqueTaskId("takeover");
    await a.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: `${shared.files.url}/slow.wav` } });
    await waitForAssets(a, taskId, (assets) => assets[0]!.status === "downloading" && assets[0]!.bytesReceived > 0);
    // The second instance starts only now, so the first one is surely the one downloading.
    b = await instance(shared);
    await a.stop("SIGKILL");

    const done = await waitForAssets(b, taskId, (assets) => assets[0]!.status === "stored", 60_000);
    expect(done.assets[0]).toMatchObject({ attempts: 2, bytes: wav.length, sha256: sha256(wav), error: null });
    expect(shared.files.hits("/slow.wav")).toBe(2);
    expect(done.events.filter((e) => e.type === "download_started")).toHaveLength(2);
    expect(sha256(await storedBytes(b, done.assets[0]!.fileUrl!))).toBe(sha256(wav));
  });
});

describe("the provider's rate limit across instances", () => {
  const LIMIT = 20;
  const WINDOW_MS = 10_000;
  const RUN_MS = 25_000;
  let shared: Shared;
  let fake: FakeProvider;
  let servers: TestServer[] = [];
  beforeAll(async () => {
    shared = await startShared();
    fake = await startFakeProvider({ delayMs: 1_000 });
    const env = { SUNO_API_BASE_URL: fake.url, SUNO_API_KEY: fake.key, POLL_AFTER_SECONDS: "0", POLL_INTERVAL_SECONDS: "1" };
    servers = await Promise.all([instance(shared, env), instance(shared, env)]);
  });
  afterAll(async () => {
    await stopAll(servers, shared);
    await fake?.stop();
  });

  it(`two instances polling 40 pending tasks send at most ${LIMIT} requests in any 10 s together`, { timeout: 90_000 }, async () => {
    const started = Date.now();
    const ids = Array.from({ length: 40 }, (_, i) => uniqueTaskId(`multi-pending-${i}`));
    for (const taskId of ids) fake.addTask({ kind: "cover", taskId, marker: "never" });
    // Half tracked through each instance; every task is then due for polling every second, on both.
    const tracked = await Promise.all(
      ids.map((taskId, i) =>
        fetch(new URL("/api/tasks", servers[i % 2]!.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ action: "track", kind: "cover", taskId }),
        }).then((r) => r.status),
      ),
    );
    expect(tracked.every((s) => s === 201)).toBe(true);
    await new Promise((r) => setTimeout(r, RUN_MS - (Date.now() - started)));

    const times = fake.requests.filter((r) => r.at >= started).map((r) => r.at);
    const sorted = [...times].sort((x, y) => x - y);
    let busiest = 0;
    for (let i = 0, j = 0; j < sorted.length; j++) {
      while (sorted[j]! - sorted[i]! >= WINDOW_MS) i++;
      busiest = Math.max(busiest, j - i + 1);
    }
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    // The provider never had to say "too many requests".
    expect(fake.requests.filter((r) => r.at >= started && (r.code === 429 || r.code === 430))).toEqual([]);
    // Polling went on all along: more than one window's worth reached the provider.
    expect(times.length).toBeGreaterThan(LIMIT);
  });
});
