// A stored WAV plays from the dashboard's own file route, and seeking works.
// Needs the downloads feature (stored files served with Range): goes green once
// that branch is merged.
import { makeWav } from "../scripts/lib/media";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { bytes } from "../tests/helpers/file-server";
import { uniqueTaskId } from "../tests/helpers/ids";
import { startServer, type TestServer } from "../tests/helpers/server";
import { expect, test } from "./fixtures";
import { localServer, seekTo } from "./helpers";

let files: Awaited<ReturnType<typeof localServer>>;
let dashboard: TestServer;

test.beforeAll(async () => {
  files = await localServer({ "/song.wav": bytes(makeWav(3), "audio/wav") });
  dashboard = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
});

test.afterAll(async () => {
  await dashboard?.stop();
  await files?.close();
});

test("a stored WAV reports its duration and seeks", async ({ page, taskPage }) => {
  const taskId = uniqueTaskId("wav");
  const res = await dashboard.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: `${files.url}/song.wav` } });
  expect(res.status).toBe(200);
  await waitForAssets(dashboard, taskId, allStored, 30_000);

  await taskPage.goto(taskId, dashboard.url);
  const audio = taskPage.audio;
  await expect(audio).toHaveAttribute("preload", "metadata");
  await expect(audio).toHaveAttribute("src", /^\/api\/assets\/\d+\/file$/);
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 15_000 }).toBeGreaterThan(2.9);
  await expect(taskPage.audioDuration).toHaveText("0:03");

  expect(await seekTo(audio, 2)).toBeCloseTo(2, 0);

  // The file route answers ranges, which is what lets the browser seek.
  const src = (await audio.getAttribute("src"))!;
  const partial = await page.request.get(`${dashboard.url}${src}`, { headers: { range: "bytes=0-43" } });
  expect(partial.status()).toBe(206);
  expect((await partial.body()).subarray(0, 4).toString("ascii")).toBe("RIFF");
});
