// The several-instances / Vercel shape in a browser: tasks on a libSQL server
// (sqld) and files in an S3 bucket (s3rver), both real and local. Covers load
// and the WAV plays and seeks through the 302 to a signed bucket URL.
import { makeWav } from "../scripts/lib/media";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { bytes } from "../tests/helpers/file-server";
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";
import { localServer, seekTo } from "./helpers";

test.use({ backend: "libsql+s3", serverEnv: { DOWNLOAD_ALLOW_PRIVATE: "1" } });

test("a test callback's covers show from the bucket", async ({ page, server, setupPage, taskPage }) => {
  await setupPage.goto();
  // Anchored: the doctor's storage check names the bucket too, in a longer sentence.
  await expect(page.getByText(/^s3:\/\/test-bucket at http:\/\/127\.0\.0\.1:\d+$/)).toBeVisible();
  const taskId = await setupPage.sendTestCallbackAndGetTaskId();
  await waitForAssets(server, taskId, allStored, 30_000);

  const redirects: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 302 && r.url().includes("/api/assets/")) redirects.push(r.headers()["location"] ?? "");
  });
  await taskPage.goto(taskId);
  const images = taskPage.images;
  await expect(images).toHaveCount(2);
  await expect.poll(() => images.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).naturalWidth))).toEqual([480, 480]);
  // The browser was sent to the bucket with a signed URL.
  expect(redirects.length).toBeGreaterThanOrEqual(2);
  for (const location of redirects) expect(location).toMatch(/X-Amz-Signature=/);
});

test("a WAV stored in the bucket plays and seeks", async ({ server, taskPage }) => {
  const files = await localServer({ "/song.wav": bytes(makeWav(3), "audio/wav") });
  try {
    const taskId = uniqueTaskId("wav-s3");
    expect(
      (await server.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: `${files.url}/song.wav` } })).status,
    ).toBe(200);
    await waitForAssets(server, taskId, allStored, 30_000);
    await taskPage.goto(taskId);
    const audio = taskPage.audio;
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 15_000 }).toBeGreaterThan(2.9);
    expect(await seekTo(audio, 2)).toBeCloseTo(2, 0);
  } finally {
    await files.close();
  }
});
