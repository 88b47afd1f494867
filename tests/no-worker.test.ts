// Without a long-lived process (WORKER=0, the Vercel shape: libSQL + bucket):
// a callback stores its own files right after its answer (after(); callbacks
// arriving while such a drain runs start theirs at once, and that after()
// waits for them), and
// GET /api/cron/tick does one bounded round of due polls and downloads,
// never the same row twice when ticks overlap.
import type { Health } from "@/lib/server/health";
import type { runTick } from "@/lib/work/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "../scripts/lib/media";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { waitForAssets } from "./helpers/assets";
import { coverSuccess } from "./helpers/callbacks";
import { bytes, slowly, startFileServer, type FileServer } from "./helpers/file-server";
import { taskDetail } from "./helpers/http";
import { uniqueTaskId } from "./helpers/ids";
import { startS3, type S3Server } from "./helpers/s3";
import { startServer, type TestServer } from "./helpers/server";
import { startSqld, type Sqld } from "./helpers/sqld";

const CRON_SECRET = "cron-secret-0123456789abcdef";

/** What GET /api/cron/tick answers. */
type Tick = Awaited<ReturnType<typeof runTick>>;

let sqld: Sqld;
let s3: S3Server;
let files: FileServer;
let fake: FakeProvider;
let server: TestServer;

beforeAll(async () => {
  [sqld, s3, files, fake] = await Promise.all([startSqld(), startS3(), startFileServer(), startFakeProvider({ delayMs: 1_500 })]);
  server = await startServer({
    databaseUrl: sqld.url,
    env: {
      ...s3.env,
      WORKER: "0",
      CRON_SECRET,
      DOWNLOAD_ALLOW_PRIVATE: "1",
      SUNO_API_BASE_URL: fake.url,
      SUNO_API_KEY: fake.key,
      POLL_AFTER_SECONDS: "0",
      POLL_INTERVAL_SECONDS: "1",
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([sqld?.stop(), s3?.stop(), files?.close(), fake?.stop()]);
});

const tick = (secret: string | null = CRON_SECRET) =>
  fetch(new URL("/api/cron/tick", server.url), { headers: secret === null ? {} : { authorization: `Bearer ${secret}` } });

/** A cover success whose images are these paths on the local file server. */
const coverCallback = (taskId: string, paths: string[]) =>
  coverSuccess(
    taskId,
    paths.map((p) => `${files.url}${p}`),
  );

describe("WORKER=0", () => {
  it("health says the work is cron-driven, on libSQL and S3", async () => {
    const health = await server.getJson<Health>("/api/health");
    expect(health.body).toMatchObject({ database: { driver: "libsql" }, storage: { driver: "s3" }, worker: "cron" });
  });

  it("a callback's files are stored right after its answer, with no tick", async () => {
    const taskId = uniqueTaskId("after");
    const paths = [0, 1].map((i) => `/${taskId}/${i}.png`);
    paths.forEach((p, i) => files.route(p, bytes(makePng(16, 16 + i), "image/png")));
    expect((await server.callback(coverCallback(taskId, paths))).status).toBe(200);
    const done = await waitForAssets(server, taskId, (assets) => assets.every((a) => a.status === "stored"), 20_000);
    expect(done.assets).toHaveLength(2);
    for (const p of paths) expect(files.hits(p)).toBe(1);
  });

  it("bursts of callbacks store every file with no tick, also a burst after the first drain ended", { timeout: 60_000 }, async () => {
    for (const burst of ["first", "second"]) {
      const taskIds = Array.from({ length: 6 }, (_, n) => uniqueTaskId(`burst-${burst}-${n}`));
      const pathsOf = (taskId: string) => [0, 1].map((i) => `/${taskId}/${i}.png`);
      for (const taskId of taskIds) pathsOf(taskId).forEach((p, i) => files.route(p, bytes(makePng(8, 8 + i), "image/png")));
      const answers = await Promise.all(taskIds.map((taskId) => server.callback(coverCallback(taskId, pathsOf(taskId)))));
      expect(answers.map((a) => a.status)).toEqual(taskIds.map(() => 200));
      for (const taskId of taskIds) {
        const done = await waitForAssets(server, taskId, (assets) => assets.every((a) => a.status === "stored"), 20_000);
        expect(done.assets).toHaveLength(2);
        for (const p of pathsOf(taskId)) expect(files.hits(p)).toBe(1);
      }
    }
  });

  it(
    "a callback's file is not held up by an earlier callback's slow download (their drains share one after())",
    { timeout: 60_000 },
    async () => {
      const slowTask = uniqueTaskId("slow");
      const fastTask = uniqueTaskId("fast");
      // About 10 s for the slow file: 40 chunks, 250 ms apart.
      const slowPng = makePng(64, 64);
      files.route(`/${slowTask}/0.png`, slowly(slowPng, "image/png", Math.ceil(slowPng.length / 40), 250));
      files.route(`/${fastTask}/0.png`, bytes(makePng(8, 8), "image/png"));
      expect((await server.callback(coverCallback(slowTask, [`/${slowTask}/0.png`]))).status).toBe(200);
      await waitForAssets(server, slowTask, (assets) => assets[0]?.status === "downloading", 5_000);
      expect((await server.callback(coverCallback(fastTask, [`/${fastTask}/0.png`]))).status).toBe(200);
      await waitForAssets(server, fastTask, (assets) => assets[0]?.status === "stored", 4_000);
      const slow = await taskDetail(server, slowTask);
      expect(slow.assets[0]?.status).toBe("downloading");
      await waitForAssets(server, slowTask, (assets) => assets[0]?.status === "stored", 30_000);
    },
  );

  it("the tick needs its secret", async () => {
    expect((await tick(null)).status).toBe(401);
    expect((await tick("wrong-secret-0123456789")).status).toBe(401);
    const body = (await (await tick(null)).json()) as { error: { code: string } };
    expect(body.error.code).toBe("unauthorized");
  });

  it("a due poll waits for the tick, which polls it and stores its files", { timeout: 60_000 }, async () => {
    const taskId = uniqueTaskId("tick-poll");
    fake.addTask({ kind: "cover", taskId, marker: "nocallback" });
    const tracked = await fetch(new URL("/api/tasks", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "track", kind: "cover", taskId }),
    });
    expect(tracked.status).toBe(201);
    // The result is ready at the provider, yet nothing polls without a tick.
    await new Promise((r) => setTimeout(r, 3_000));
    const polls = () => fake.requests.filter((r) => r.query.taskId === taskId).length;
    const before = polls();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(polls()).toBe(before);
    expect((await taskDetail(server, taskId)).task.status).toBe("pending");

    const response = await tick();
    expect(response.status).toBe(200);
    const report = (await response.json()) as Tick;
    // This task is the only one pending on this server: one poll, one request to the provider.
    expect(report.polls.polled).toBe(1);
    expect(polls()).toBe(before + 1);
    expect(report.downloads.stored).toBe(2);
    expect(typeof report.tookMs).toBe("number");
    const done = await waitForAssets(server, taskId, (assets) => assets.every((a) => a.status === "stored"), 5_000);
    expect(done.task.status).toBe("succeeded");
  });

  it("bodies are found at once and indexed by the tick", async () => {
    const family = uniqueTaskId("tick-search");
    for (let n = 0; n < 3; n++)
      expect((await server.callback({ code: 501, msg: "failed", data: { taskId: `${family}-${n}` } })).status).toBe(200);
    const found = async () => {
      const res = await server.getJson<{ items: { taskId: string }[] }>(`/api/deliveries?q=${family}`);
      return res.body.items.map((d) => d.taskId).sort();
    };
    const waiting = async () =>
      (await server.sql<{ n: number }>("select count(*) as n from deliveries where id > (select indexed_through from search_index)"))[0]!.n;
    // Nothing indexes between ticks here (no worker); a search scans what waits.
    expect(await waiting()).toBeGreaterThanOrEqual(3);
    expect(await found()).toEqual([0, 1, 2].map((n) => `${family}-${n}`));
    const report = (await (await tick()).json()) as Tick;
    expect(report.search.indexed).toBeGreaterThanOrEqual(3);
    expect(report.search.behind).toBe(0);
    expect(await waiting()).toBe(0);
    expect(await found()).toEqual([0, 1, 2].map((n) => `${family}-${n}`));
  });

  it("overlapping ticks never download the same file twice", { timeout: 60_000 }, async () => {
    // Files that fail once (503) are due again 5 s later, when only ticks can take them.
    const taskIds = Array.from({ length: 4 }, () => uniqueTaskId("overlap"));
    const failedOnce = new Set<string>();
    const png = makePng(12, 12);
    const paths = taskIds.flatMap((t) => [0, 1].map((i) => `/${t}/${i}.png`));
    for (const p of paths) {
      files.route(p, (req, res) => {
        if (!failedOnce.has(p)) {
          failedOnce.add(p);
          res.writeHead(503).end();
          return;
        }
        bytes(png, "image/png")(req, res);
      });
    }
    for (const taskId of taskIds) {
      expect(
        (
          await server.callback(
            coverCallback(
              taskId,
              [0, 1].map((i) => `/${taskId}/${i}.png`),
            ),
          )
        ).status,
      ).toBe(200);
    }
    for (const taskId of taskIds)
      await waitForAssets(server, taskId, (assets) => assets.every((a) => a.attempts === 1 && a.status === "pending"));
    await new Promise((r) => setTimeout(r, 5_500));

    const reports = (await Promise.all([tick(), tick(), tick()].map(async (r) => (await r).json()))) as Tick[];
    expect(reports.reduce((n, r) => n + r.downloads.started, 0)).toBe(paths.length);
    expect(reports.reduce((n, r) => n + r.downloads.stored, 0)).toBe(paths.length);
    for (const p of paths) expect(files.hits(p), p).toBe(2);
    for (const taskId of taskIds) {
      const done = await waitForAssets(server, taskId, (assets) => assets.every((a) => a.status === "stored"));
      expect(done.assets.map((a) => a.attempts)).toEqual([2, 2]);
    }
  });
});

describe("Vercel start-up checks", () => {
  it.each([
    [{ VERCEL: "1", DATABASE_URL: "file:./data/x.db" }, "DATABASE_URL"],
    [{ VERCEL: "1", STORAGE_URL: "" }, "STORAGE_URL"],
  ])("VERCEL=1 with %j stops the server naming %s", async (env, name) => {
    const error = await startServer({ databaseUrl: sqld.url, env }).then(
      async (s) => {
        await s.stop();
        return null;
      },
      (e: Error) => e,
    );
    expect(error?.message).toMatch(new RegExp(`Invalid configuration: ${name} must be`));
  });
});
