// Thumbnails in the task list and the waveform in the WAV player, in a real
// browser: the list of 50 tasks shows small thumbnails and never fetches a
// full-size cover; the waveform seeks by click and by keyboard. Screenshots
// of both, light and dark, desktop and 375 px, are attached to the report
// and checked for what they should show (theme, thumbnails, played part).
import type { Locator, Page, TestInfo } from "@playwright/test";
import sharp from "sharp";
import { makePng, makeWavFile } from "../scripts/lib/media";
import { allStored, waitForAssets } from "../tests/helpers/assets";
import { coverSuccess, wavSuccess } from "../tests/helpers/callbacks";
import { bytes } from "../tests/helpers/file-server";
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";
import { localServer } from "./helpers";

test.use({ serverEnv: { DOWNLOAD_ALLOW_PRIVATE: "1" } });

const COVER_TASKS = 34;
const WAV_TASKS = 16;
const WAV_SECONDS = 20;

let files: Awaited<ReturnType<typeof localServer>>;
const coverTasks: string[] = [];

test.beforeAll(async ({ server }) => {
  test.setTimeout(180_000);
  // Full-size covers of 1024 px, so a thumbnail (≤ 320) is told apart from them by size.
  const routes: Parameters<typeof localServer>[0] = {
    "/song.wav": bytes(makeWavFile({ seconds: WAV_SECONDS, sampleRate: 8_000, channels: 2 }), "audio/wav"),
  };
  for (let n = 0; n < 4; n++) routes[`/cover-${n}.png`] = bytes(makePng(1024, 1024, n), "image/png");
  files = await localServer(routes);
  const tasks: string[] = [];
  for (let i = 0; i < COVER_TASKS + WAV_TASKS; i++) {
    const cover = i % 3 !== 2 && coverTasks.length < COVER_TASKS;
    const taskId = uniqueTaskId(cover ? "media-cover" : "media-wav");
    const body = cover
      ? coverSuccess(taskId, [`${files.url}/cover-${i % 4}.png`, `${files.url}/cover-${(i + 1) % 4}.png`])
      : wavSuccess(taskId, `${files.url}/song.wav`);
    expect((await server.callback(body)).status).toBe(200);
    if (cover) coverTasks.push(taskId);
    tasks.push(taskId);
  }
  for (const taskId of tasks) await waitForAssets(server, taskId, allStored, 120_000);
});

test.afterAll(async () => {
  await files?.close();
});

/** Full-size files the page asked for (`/api/assets/{id}/file`). */
function recordFileRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (/\/api\/assets\/\d+\/file/.test(request.url())) seen.push(request.url());
  });
  return seen;
}

/** Scrolls through the page so every lazy thumbnail loads, then checks each is a loaded image ≤ 320 px wide. */
async function expectThumbnailsLoaded(page: Page, thumbnails: Locator, count: number) {
  await expect(thumbnails).toHaveCount(count);
  for (let i = 0; i < count; i++) await thumbnails.nth(i).scrollIntoViewIfNeeded();
  await expect
    .poll(() => thumbnails.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth)), { timeout: 20_000 })
    .toEqual(Array(count).fill(320));
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Saves a screenshot as a test artefact and answers its bytes. */
async function snap(target: Page | Locator, testInfo: TestInfo, name: string): Promise<Buffer> {
  const file = testInfo.outputPath(`${name}.png`);
  const image = await target.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  return image;
}

/** Mean brightness (0..255) of a screenshot's top-left corner: the page background. */
async function backgroundBrightness(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).extract({ left: 0, top: 0, width: 8, height: 8 }).stats();
  return (channels[0]!.mean + channels[1]!.mean + channels[2]!.mean) / 3;
}

/** How much a picture varies (a thumbnail shows a gradient; an empty tile is flat). */
async function variety(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).stats();
  return Math.max(...channels.slice(0, 3).map((c) => c.stdev));
}

for (const theme of ["light", "dark"] as const) {
  test(`the list of 50 tasks shows cover thumbnails and loads no full-size image (${theme})`, async ({ page, taskList }, testInfo) => {
    await page.emulateMedia({ colorScheme: theme });
    const fileRequests = recordFileRequests(page);
    const thumbnailResponses: { url: string; cacheControl: string | undefined }[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/thumbnail"))
        thumbnailResponses.push({ url: response.url(), cacheControl: response.headers()["cache-control"] });
    });

    await taskList.goto();
    await expect(taskList.bodyRows).toHaveCount(50);
    // One per cover task, its first cover's thumbnail (with the file's version in the URL).
    const table = taskList.table.getByTestId("cover-thumbnail");
    await expectThumbnailsLoaded(page, table, COVER_TASKS);
    for (const taskId of coverTasks.slice(0, 3)) {
      await expect(taskList.row(taskId).getByRole("img", { name: /^Cover of / })).toHaveAttribute(
        "src",
        /^\/api\/assets\/\d+\/thumbnail\?v=[0-9a-f]{16}$/,
      );
    }
    expect(thumbnailResponses.length).toBeGreaterThanOrEqual(COVER_TASKS);
    expect(thumbnailResponses.every((r) => r.cacheControl === "public, max-age=31536000, immutable")).toBe(true);

    const shot = await snap(page, testInfo, `list-${theme}`);
    const brightness = await backgroundBrightness(shot);
    if (theme === "light") expect(brightness).toBeGreaterThan(200);
    else expect(brightness).toBeLessThan(40);
    expect(await variety(await snap(table.first(), testInfo, `list-thumbnail-${theme}`))).toBeGreaterThan(20);

    // A phone: cards, with the same thumbnails.
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(taskList.cards).toBeVisible();
    const cards = taskList.cards.getByTestId("cover-thumbnail");
    await expectThumbnailsLoaded(page, cards, COVER_TASKS);
    const phone = await snap(page, testInfo, `list-375-${theme}`);
    expect((await sharp(phone).metadata()).width).toBe(375);
    expect(await variety(await snap(cards.first(), testInfo, `card-thumbnail-${theme}`))).toBeGreaterThan(20);

    expect(fileRequests).toEqual([]);
  });
}

/** Pixels of a screenshot in the player's "played" violet, in its left and right halves. */
async function violetPixels(image: Buffer): Promise<{ left: number; right: number }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = { left: 0, right: 0 };
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (b - g > 70 && r - g > 20) counts[x < info.width / 2 ? "left" : "right"]++;
    }
  }
  return counts;
}

for (const [theme, width] of [
  ["light", 1280],
  ["dark", 1280],
  ["light", 375],
  ["dark", 375],
] as const) {
  test(`the WAV player draws the waveform and seeks by it (${theme}, ${width} px)`, async ({ page, server, taskPage }, testInfo) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width, height: 900 });
    const taskId = uniqueTaskId("media-player");
    await server.callback(wavSuccess(taskId, `${files.url}/song.wav`));
    await waitForAssets(server, taskId, allStored, 30_000);

    await taskPage.goto(taskId);
    const waveform = taskPage.waveform;
    await expect(waveform).toBeVisible();
    await expect
      .poll(() => taskPage.audio.evaluate((el: HTMLAudioElement) => el.duration), { timeout: 15_000 })
      .toBeCloseTo(WAV_SECONDS, 0);
    await expect(waveform).toHaveAttribute("aria-valuemax", String(WAV_SECONDS));
    await expect(waveform).toHaveAttribute("aria-valuenow", "0");

    // A click at half the width seeks to half the duration (±5 %).
    const box = (await waveform.boundingBox())!;
    await waveform.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect
      .poll(() => taskPage.audio.evaluate((el: HTMLAudioElement) => Math.abs(el.currentTime - el.duration / 2)))
      .toBeLessThanOrEqual(WAV_SECONDS * 0.05);
    await expect(waveform).toHaveAttribute("aria-valuenow", String(WAV_SECONDS / 2));
    await expect(waveform).toHaveAttribute("aria-valuetext", "0:10 of 0:20");

    // The played half is coloured, the rest is not.
    const shot = await snap(waveform, testInfo, `waveform-${theme}-${width}`);
    const violet = await violetPixels(shot);
    expect(violet.left).toBeGreaterThan(200);
    expect(violet.right).toBeLessThan(violet.left / 20);
    await snap(page, testInfo, `player-${theme}-${width}`);

    // The keyboard: a focusable slider.
    await waveform.focus();
    await page.keyboard.press("ArrowRight");
    await expect(waveform).toHaveAttribute("aria-valuenow", "15");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect(waveform).toHaveAttribute("aria-valuenow", "5");
    await page.keyboard.press("End");
    await expect(waveform).toHaveAttribute("aria-valuenow", String(WAV_SECONDS));
    await page.keyboard.press("Home");
    await expect(waveform).toHaveAttribute("aria-valuenow", "0");
    expect(await taskPage.audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBe(0);
  });
}
