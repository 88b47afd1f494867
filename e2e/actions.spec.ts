// "Poll now" and "Re-download" change what the page shows. Runs against a
// local fake provider (record-info and credits) and a local file server whose
// files can be made to fail. Needs the provider and downloads features: goes
// green once those branches are merged.
import { makePng, makeWav } from "../scripts/lib/media";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { bytes, type Handler } from "../tests/helpers/file-server";
import { taskDetail } from "../tests/helpers/http";
import { uniqueTaskId } from "../tests/helpers/ids";
import { startServer, type TestServer } from "../tests/helpers/server";
import { expect, test } from "./fixtures";
import { localServer } from "./helpers";

let broken = true;
let files: Awaited<ReturnType<typeof localServer>>;
let provider: Awaited<ReturnType<typeof localServer>>;
let dashboard: TestServer;

const flaky =
  (body: Buffer, type: string): Handler =>
  (req, res) =>
    broken ? res.writeHead(503).end("try later") : bytes(body, type)(req, res);

const json =
  (body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

test.beforeAll(async () => {
  files = await localServer({
    "/a.png": bytes(makePng(64, 64, 1), "image/png"),
    "/b.png": bytes(makePng(64, 64, 2), "image/png"),
    "/flaky.png": flaky(makePng(64, 64, 3), "image/png"),
    "/flaky.wav": flaky(makeWav(1), "audio/wav"),
  });
  provider = await localServer({
    "/api/v1/generate/credit": json({ code: 200, msg: "success", data: 42 }),
    "/api/v1/suno/cover/record-info": (req, res) => {
      const taskId = new URL(req.url!, "http://x").searchParams.get("taskId");
      const now = new Date().toISOString();
      json({
        code: 200,
        msg: "success",
        data: {
          taskId,
          parentTaskId: "music-1",
          callbackUrl: null,
          completeTime: now,
          response: { images: [`${files.url}/a.png`, `${files.url}/b.png`] },
          successFlag: 1,
          createTime: now,
          errorCode: 200,
          errorMessage: "",
        },
      })(req, res);
    },
  });
  dashboard = await startServer({
    env: { SUNO_API_KEY: "test-key", SUNO_API_BASE_URL: provider.url, DOWNLOAD_ALLOW_PRIVATE: "1", POLL_AFTER_SECONDS: "3600" },
  });
});

test.afterAll(async () => {
  await dashboard?.stop();
  await provider?.close();
  await files?.close();
});

test("Poll now turns a failed cover into a succeeded one with its gallery", async ({ page, taskPage, shell }) => {
  const taskId = uniqueTaskId("poll");
  await dashboard.callback({ code: 501, msg: "Cover generation failed", data: { taskId } });
  await taskPage.goto(taskId, dashboard.url);
  await expect(page.getByText("failed", { exact: true }).first()).toBeVisible();
  await expect(taskPage.gallery).toHaveCount(0);

  await taskPage.pollNow.click();
  await expect(shell.toast("Polled: failed → succeeded")).toBeVisible();
  await expect(taskPage.images).toHaveCount(2);
  await expect(taskPage.gallery).toContainText("stored", { timeout: 20_000 });
  await expect(taskPage.timeline).toContainText("poll");
});

test("Setup shows the provider's credits", async ({ setupPage }) => {
  await setupPage.goto(dashboard.url);
  await expect(setupPage.providerCredits).toHaveText("42");
});

test("Re-download all stores a WAV whose download had failed; the player appears", async ({ taskPage, shell }) => {
  broken = true;
  const taskId = uniqueTaskId("redl");
  await dashboard.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: `${files.url}/flaky.wav` } });
  await expect.poll(async () => (await taskDetail(dashboard, taskId)).assets[0]?.error ?? null, { timeout: 20_000 }).not.toBeNull();

  await taskPage.goto(taskId, dashboard.url);
  await expect(taskPage.audio).toHaveCount(0);
  broken = false;
  await taskPage.redownloadAll.click();
  await expect(shell.toast("Re-download started")).toBeVisible();
  await expect(taskPage.audio).toHaveCount(1, { timeout: 20_000 });
  await waitForAssets(dashboard, taskId, allStored, 30_000);
});

test("per-file Re-download stores one cover", async ({ taskPage, shell }) => {
  broken = true;
  const taskId = uniqueTaskId("one");
  await dashboard.callback({ code: 200, msg: "success", data: { taskId, images: [`${files.url}/a.png`, `${files.url}/flaky.png`] } });
  await expect
    .poll(async () => (await taskDetail(dashboard, taskId)).assets.map((a) => a.status === "stored" || a.error !== null), {
      timeout: 20_000,
    })
    .toEqual([true, true]);

  await taskPage.goto(taskId, dashboard.url);
  const second = taskPage.cover(1);
  await expect(second).not.toContainText("stored");
  broken = false;
  await second.getByRole("button", { name: "Re-download Cover 2" }).click();
  await expect(shell.toast("Cover 2: re-download started")).toBeVisible();
  await expect(second.getByText("stored", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(second.getByRole("link", { name: "Download" })).toHaveAttribute("href", /^\/api\/assets\/\d+\/file$/);
});
