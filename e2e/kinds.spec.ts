// Every kind of task on its page, in a real browser: a music task's tracks
// (art in the viewer, tags, duration, player, prompt) and its stages, lyrics to
// copy, a separation's stems played together in sync with mute and solo, MIDI
// piano rolls and the .mid, a video, the raw body of a kind the dashboard does
// not know, and the family linked both ways; the list's kind chips. Each page is
// shot in light and dark at 1280 and 375 px (attached to the report), fits the
// phone without sideways scrolling, and raises no error in the browser.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Page, TestInfo } from "@playwright/test";
import { parseMidi } from "midi-file";
import sharp from "sharp";
import { startFakeProvider, type FakeProvider } from "../scripts/lib/fake-provider";
import { uniqueTaskId } from "../tests/helpers/ids";
import { startServer, type TestServer } from "../tests/helpers/server";
import { expect, test } from "./fixtures";
import { localServer } from "./helpers";
import type { TaskPage } from "./pages/task-page";
import { familyFiles, musicCallback, SECONDS, seedFamily, fixtureWithTaskId, type Family } from "./kinds-seed";

let files: Awaited<ReturnType<typeof localServer>>;
let provider: FakeProvider;
let dashboard: TestServer;
let family: Family;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  files = await localServer(familyFiles());
  // Asked only when a task is tracked: it says "pending" (the callbacks bring the results).
  provider = await startFakeProvider({ delayMs: 3_600_000, enforceRateLimit: false });
  dashboard = await startServer({
    env: { SUNO_API_KEY: provider.key, SUNO_API_BASE_URL: provider.url, DOWNLOAD_ALLOW_PRIVATE: "1", POLL_AFTER_SECONDS: "3600" },
  });
  family = await seedFamily(dashboard, provider, files.url);
});

test.afterAll(async () => {
  await dashboard?.close();
  await provider?.stop();
  await files?.close();
});

/** Saves a full-page screenshot as a test artefact and answers its bytes. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<Buffer> {
  const file = testInfo.outputPath(`${name}.png`);
  const image = await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  return image;
}

/** Mean brightness (0..255) of a screenshot's top-left corner: the page background. */
async function backgroundBrightness(image: Buffer): Promise<number> {
  const { channels } = await sharp(image).extract({ left: 0, top: 0, width: 8, height: 8 }).stats();
  return (channels[0]!.mean + channels[1]!.mean + channels[2]!.mean) / 3;
}

/** Nothing wider than the viewport: no sideways scrolling on a phone. A failure names the elements that stick out. */
async function expectNoOverflow(page: Page) {
  const width = page.viewportSize()!.width;
  const { scrollWidth, outside } = await page.evaluate((limit) => {
    const outside = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(-5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return { scrollWidth: document.documentElement.scrollWidth, outside };
  }, width);
  expect(scrollWidth, `wider than ${width} px: ${outside.join("; ")}`).toBeLessThanOrEqual(width);
}

const VIEWS = [
  ["light", 1280],
  ["dark", 1280],
  ["light", 375],
  ["dark", 375],
] as const;

type Kind = Exclude<keyof Family, "tracks">;
/** What each kind's page must show before its screenshot is taken. */
const READY: Record<Kind, (taskPage: TaskPage) => Promise<void>> = {
  music: async (p) => {
    await expect(p.tracks.items).toHaveCount(2);
    await expect(p.tracks.track(1).getByTestId("track-art")).toHaveJSProperty("complete", true);
    await expect(p.tracks.track(2).getByTestId("track-art")).toHaveJSProperty("complete", true);
  },
  cover: async (p) => {
    await expect(p.images).toHaveCount(2);
    await expect(p.family.parentLine).toBeVisible();
  },
  wav: async (p) => {
    await expect(p.waveform).toBeVisible();
    await expect(p.family.parentLine).toBeVisible();
  },
  lyrics: async (p) => {
    await expect(p.lyrics.variants).toHaveCount(2);
  },
  separation: async (p) => {
    await expect(p.mixer.stems).toHaveCount(8);
    await expect(p.mixer.time).toHaveText(`0:00 / ${duration(SECONDS)}`);
    await expect(p.page.getByTestId("stem-strip").locator("svg")).toHaveCount(2);
  },
  midi: async (p) => {
    await expect(p.midi.rolls).toHaveCount(2);
  },
  video: async (p) => {
    await expect(p.video.facts).toContainText("320×176");
  },
  other: async (p) => {
    await expect(p.rawBody.body).toContainText("wait_validating");
  },
};

const duration = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s) % 60).padStart(2, "0")}`;

for (const kind of Object.keys(READY) as Kind[]) {
  for (const [theme, width] of VIEWS) {
    test(`the ${kind} page looks finished (${theme}, ${width} px)`, async ({ page, taskPage }, testInfo) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height: 900 });
      await taskPage.goto(family[kind], dashboard.url);
      await expect(taskPage.heading).toContainText(family[kind]);
      await expect(taskPage.kindBadge(kind).first()).toBeVisible();
      await READY[kind](taskPage);
      await page.waitForLoadState("networkidle");
      await expectNoOverflow(page);
      const shot = await snap(page, testInfo, `${kind}-${theme}-${width}`);
      const brightness = await backgroundBrightness(shot);
      if (theme === "light") expect(brightness).toBeGreaterThan(200);
      else expect(brightness).toBeLessThan(40);
      expect((await sharp(shot).metadata()).width).toBe(width);
    });
  }
}

test("a music task shows each track: art in the viewer, title, tags, duration, player, prompt, and what was made from it", async ({
  page,
  taskPage,
}) => {
  await taskPage.goto(family.music, dashboard.url);
  const { tracks } = taskPage;
  await expect(tracks.items).toHaveCount(2);
  const first = tracks.track(1);
  await expect(first.getByRole("heading", { level: 3 })).toHaveText("1.Iron Man");
  await expect(tracks.track(2).getByRole("heading", { level: 3 })).toHaveText("2.Iron Man (take 2)");
  await expect(first.getByRole("list", { name: "Tags" }).getByRole("listitem")).toHaveText(["electrifying", "rock"]);
  await expect(first.getByTestId("track-duration")).toHaveText("3:18");
  await expect(tracks.track(2).getByTestId("track-duration")).toHaveText("3:21");
  await expect(first.getByTestId("track-prompt")).toHaveText("[Verse] Steel and fire in my veins\n[Chorus] I am Iron Man");
  await expect(first).toContainText("chirp-v3-5");
  await expect(first).toContainText(family.tracks[0]);
  await expect(tracks.stages).toContainText("All tracks ready");
  await expect(tracks.currentStage()).toContainText("All tracks ready");

  // The player plays the dashboard's own copy of the MP3.
  await expect(tracks.player(1)).toHaveAttribute("src", /^\/api\/assets\/\d+\/file$/);
  await expect.poll(() => tracks.player(1).evaluate((el: HTMLAudioElement) => el.duration), { timeout: 15_000 }).toBeCloseTo(SECONDS, 0);
  await expect(first.getByRole("link", { name: "Download Iron Man (MP3)" })).toHaveAttribute("download", `${family.music}-track-1.mp3`);
  await expect(first.getByRole("link", { name: "Download the artwork of Iron Man" })).toHaveAttribute(
    "download",
    `${family.music}-track-1-art.png`,
  );

  // The art opens in the viewer; arrows browse; Esc closes and gives focus back.
  await tracks.artOpener("Iron Man").click();
  await expect(taskPage.lightbox).toContainText("Artwork 1 of 2 · Iron Man");
  await expect(taskPage.lightbox.getByRole("img", { name: "Artwork of Iron Man" })).toHaveAttribute("src", /^\/api\/assets\/\d+\/file$/);
  await page.keyboard.press("ArrowRight");
  await expect(taskPage.lightbox).toContainText("Artwork 2 of 2 · Iron Man (take 2)");
  // Focus goes back to the art last shown.
  await page.keyboard.press("Escape");
  await expect(taskPage.lightbox).toHaveCount(0);
  await expect(tracks.artOpener("Iron Man (take 2)")).toBeFocused();

  // Made from the first track: the WAV, the separation and the video; the cover from the task.
  const fromTrack = first.getByTestId("made-from-track");
  for (const taskId of [family.wav, family.separation, family.video]) {
    await expect(taskPage.family.link(fromTrack, taskId)).toBeVisible();
  }
  await expect(tracks.track(2).getByTestId("made-from-track")).toHaveCount(0);
  for (const taskId of [family.cover, family.wav, family.separation, family.video]) {
    await expect(taskPage.family.link(taskPage.family.madeFromThis, taskId)).toBeVisible();
  }
  await expect(taskPage.family.madeFromThis.getByTestId("related-task")).toHaveCount(4);
  await expect(taskPage.family.madeFrom).toContainText("Nothing this dashboard knows of.");
});

test("the family is linked both ways: music → separation → MIDI and back", async ({ page, taskPage }) => {
  await taskPage.goto(family.music, dashboard.url);
  await taskPage.family.link(taskPage.family.madeFromThis, family.separation).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.separation}$`));
  await expect(taskPage.family.link(taskPage.family.madeFrom, family.music)).toBeVisible();
  await expect(taskPage.family.trackLink).toHaveText(family.tracks[0]);
  // The track it was made from, on the music task's page.
  await taskPage.family.trackLink.click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.music}#track-${family.tracks[0]}$`));
  // Scrolled to it: the track's item at the top of the window.
  await expect.poll(async () => (await taskPage.tracks.track(1).boundingBox())?.y).toBeLessThan(40);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.separation}$`));
  await taskPage.family.link(taskPage.family.madeFromThis, family.midi).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.midi}$`));
  await expect(taskPage.family.madeFromThis).toContainText("No task made from this one yet.");
  await taskPage.family.parentLine.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.separation}$`));
  await taskPage.family.link(taskPage.family.madeFrom, family.music).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${family.music}$`));
  await expect(taskPage.tracks.items).toHaveCount(2);
});

test("a music task's page follows its stages live: lyrics written, first track, all tracks", async ({ taskPage }) => {
  const taskId = uniqueTaskId("music-live");
  const tracks = [randomUUID(), randomUUID()];
  expect((await dashboard.callback(fixtureWithTaskId("music-text.json", taskId))).status).toBe(200);

  await taskPage.goto(taskId, dashboard.url);
  await expect(taskPage.tracks.currentStage()).toContainText("Lyrics written");
  await expect(taskPage.tracks.stages).toContainText("First track ready (not yet)");

  expect((await dashboard.callback(musicCallback("music-first.json", taskId, tracks, files.url))).status).toBe(200);
  await expect(taskPage.tracks.currentStage()).toContainText("First track ready");
  await expect(taskPage.tracks.items).toHaveCount(1);
  await expect(taskPage.tracks.player(1)).toBeVisible({ timeout: 20_000 });

  expect((await dashboard.callback(musicCallback("music-complete.json", taskId, tracks, files.url))).status).toBe(200);
  await expect(taskPage.tracks.currentStage()).toContainText("All tracks ready");
  await expect(taskPage.tracks.items).toHaveCount(2);
  await expect(taskPage.tracks.player(2)).toBeVisible({ timeout: 20_000 });
});

test("the list follows a pending task to its result without a reload", async ({ page, taskList }) => {
  const taskId = uniqueTaskId("music-list");
  expect((await dashboard.callback(fixtureWithTaskId("music-text.json", taskId))).status).toBe(200);
  await taskList.goto(taskId, dashboard.url);
  await expect(taskList.row(taskId)).toContainText("pending");
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));
  expect((await dashboard.callback(musicCallback("music-complete.json", taskId, [randomUUID(), randomUUID()], files.url))).status).toBe(
    200,
  );
  // The list refreshes every 2.5 s while a task it shows is pending.
  await expect(taskList.row(taskId)).toContainText("succeeded", { timeout: 6_000 });
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");
});

test("lyrics: every variant as text, each copied whole by its button", async ({ context, page, taskPage }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await taskPage.goto(family.lyrics, dashboard.url);
  const { lyrics } = taskPage;
  await expect(lyrics.variants).toHaveCount(2);
  const second = "[Verse]\nMetal heart, a steady beat\n[Chorus]\nIron, iron, never sleep";
  await expect(lyrics.variant("Iron Man").getByTestId("lyrics-text")).toHaveText(
    "[Verse]\nSteel and fire in my veins\n[Chorus]\nI am Iron Man",
  );
  await expect(lyrics.variant("Iron Heart").getByTestId("lyrics-text")).toHaveText(second);
  await lyrics.copy("Iron Heart").focus();
  await page.keyboard.press("Enter");
  await expect(lyrics.copy("Iron Heart")).toContainText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(second);
});

test("a separation: one player row and download per stem, played together in sync with mute and solo", async ({ page, taskPage }) => {
  await taskPage.goto(family.separation, dashboard.url);
  const { mixer } = taskPage;
  const names = ["Vocals", "Backing vocals", "Drums", "Bass", "Guitar", "Percussion", "Synth", "FX"];
  await expect(mixer.stems).toHaveCount(names.length);
  for (const [i, name] of names.entries()) {
    await expect(mixer.stems.nth(i)).toHaveAccessibleName(name);
    await expect(mixer.download(name)).toHaveAttribute("href", /^\/api\/assets\/\d+\/file$/);
  }
  await expect(mixer.download("Drums")).toHaveAttribute("download", `${family.separation}-drums.wav`);
  await expect(mixer.download("Bass")).toHaveAttribute("download", `${family.separation}-bass.mp3`);
  // The WAV stems have a waveform; the MP3s a bar.
  await expect(mixer.stem("Vocals").getByTestId("stem-strip").locator("svg")).toBeVisible();
  await expect(mixer.stem("Bass").getByTestId("stem-strip").locator("svg")).toHaveCount(0);
  await expect(mixer.time).toHaveText(`0:00 / ${duration(SECONDS)}`);
  await expect(mixer.status).toHaveText("Every stem is heard.");

  // Play together, from the keyboard.
  await mixer.playTogether.focus();
  await page.keyboard.press("Enter");
  await expect(mixer.pause).toBeVisible();
  await expect.poll(async () => Math.min(...(await mixer.states()).map((s) => s.time)), { timeout: 15_000 }).toBeGreaterThan(2);
  const playing = await mixer.states();
  expect(playing.every((s) => !s.paused && !s.muted)).toBe(true);
  const times = playing.map((s) => s.time);
  expect(Math.max(...times) - Math.min(...times)).toBeLessThan(0.15);

  // Mute one: it keeps playing (in time), unheard.
  await mixer.mute("Drums").click();
  await expect(mixer.mute("Drums")).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await mixer.states()).map((s) => s.muted)).toEqual(names.map((n) => n === "Drums"));
  await expect(mixer.status).toHaveText("Muted: Drums");

  // Solo two: only they are heard, mute or not.
  await mixer.solo("Bass").click();
  await mixer.solo("Drums").click();
  await expect.poll(async () => (await mixer.states()).map((s) => s.muted)).toEqual(names.map((n) => n !== "Bass" && n !== "Drums"));
  await expect(mixer.status).toHaveText("Solo: Drums, Bass");

  // Moving the position moves every stem, still together.
  await mixer.position.fill("8");
  await expect.poll(async () => Math.min(...(await mixer.states()).map((s) => s.time)), { timeout: 10_000 }).toBeGreaterThan(8);
  const moved = (await mixer.states()).map((s) => s.time);
  expect(Math.max(...moved) - Math.min(...moved)).toBeLessThan(0.15);

  await mixer.pause.click();
  await expect(mixer.playTogether).toBeVisible();
  expect((await mixer.states()).every((s) => s.paused)).toBe(true);

  // One stem alone: solo it and play; again pauses.
  await mixer.unmuteAll.click();
  await expect(mixer.status).toHaveText("Every stem is heard.");
  await mixer.playAlone("Vocals").click();
  await expect(mixer.solo("Vocals")).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await mixer.states()).map((s) => s.muted)).toEqual(names.map((n) => n !== "Vocals"));
  await expect(page.getByRole("button", { name: "Pause Vocals" })).toBeVisible();
  await page.getByRole("button", { name: "Pause Vocals" }).click();
  await expect(mixer.playTogether).toBeVisible();
});

test("MIDI: a piano roll per instrument, zoomed and scrolled together, the notes as a table, the .mid", async ({ page, taskPage }) => {
  await taskPage.goto(family.midi, dashboard.url);
  const { midi } = taskPage;
  await expect(midi.rolls).toHaveCount(2);
  await expect(midi.notes("Drums")).toHaveCount(3);
  await expect(midi.notes("Electric Bass (finger)")).toHaveCount(2);
  await expect(midi.roll("Drums").getByRole("img")).toHaveAccessibleName("Drums: 3 notes from C♯4 to C♯5, between 0.04 s and 0.49 s");
  await expect(midi.roll("Electric Bass (finger)").getByRole("img")).toHaveAccessibleName(
    "Electric Bass (finger): 2 notes all G♯2, between 7.69 s and 8.25 s",
  );
  await expect(midi.download).toHaveAttribute("href", `/api/tasks/${family.midi}/midi`);
  await expect(midi.download).toHaveAttribute("download", `${family.midi}.mid`);
  // The link saves a Standard MIDI File with every note (the notes themselves are compared in tests/kinds-files.test.ts).
  const saving = page.waitForEvent("download");
  await midi.download.click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe(`${family.midi}.mid`);
  const file = parseMidi(fs.readFileSync(await saved.path()));
  const noteOns = file.tracks.flat().filter((event) => event.type === "noteOn" && event.velocity > 0);
  expect(noteOns).toHaveLength(5);

  // Zoom in twice: four times as wide, and the two rolls scroll as one.
  const drums = midi.scroller("Drums");
  const bass = midi.scroller("Electric Bass (finger)");
  const fitted = await drums.evaluate((el) => el.scrollWidth);
  await midi.zoomIn.click();
  await midi.zoomIn.click();
  await expect(midi.zoom).toHaveText("4×");
  await expect.poll(() => drums.evaluate((el) => el.scrollWidth)).toBeGreaterThan(fitted * 3.5);
  await drums.evaluate((el) => (el.scrollLeft = el.scrollWidth - el.clientWidth));
  await expect.poll(() => bass.evaluate((el) => el.scrollLeft)).toBeGreaterThan(fitted * 2);
  await midi.zoomOut.click();
  await expect(midi.zoom).toHaveText("2×");

  // The notes as numbers.
  await midi.roll("Electric Bass (finger)").getByText("The notes of Electric Bass (finger) as a table").click();
  const rows = midi.roll("Electric Bass (finger)").getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toHaveText(["G♯2", "44", "8.000", "8.250", "0.50"].join(""));
  await expect(page.getByRole("table")).toHaveCount(1);
});

test("a video plays from the dashboard's copy, with its length, size and download", async ({ taskPage }) => {
  await taskPage.goto(family.video, dashboard.url);
  const { video } = taskPage;
  await expect(video.video).toHaveAttribute("src", /^\/api\/assets\/\d+\/file$/);
  await expect.poll(() => video.video.evaluate((el: HTMLVideoElement) => el.duration), { timeout: 15_000 }).toBeCloseTo(4, 1);
  expect(await video.video.evaluate((el: HTMLVideoElement) => [el.videoWidth, el.videoHeight])).toEqual([320, 176]);
  await expect(video.facts).toContainText("0:04");
  await expect(video.download).toHaveAttribute("download", `${family.video}.mp4`);
  await video.video.evaluate((el: HTMLVideoElement) => el.play());
  await expect.poll(() => video.video.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
});

test("a body of no known kind is shown as it came", async ({ taskPage }) => {
  await taskPage.goto(family.other, dashboard.url);
  await expect(taskPage.rawBody.heading).toBeVisible();
  const body = JSON.parse((await taskPage.rawBody.body.textContent()) ?? "") as { data: Record<string, unknown> };
  expect(body.data).toEqual({
    taskId: family.other,
    validateInfo: "Please record this phrase: the quick brown fox",
    status: "wait_validating",
    errorCode: 0,
    errorMessage: "",
  });
  await expect(taskPage.noFiles).toHaveCount(0);
});

test("failed tasks of each kind say so where their results would be", async ({ page, taskPage }) => {
  const cases = [
    ["music-error.json", taskPage.tracks.empty, "The task failed, so there are no tracks."],
    ["lyrics-error.json", taskPage.lyrics.empty, "The task failed, so there are no lyrics."],
    ["separation-failed.json", taskPage.mixer.empty, "The separation failed, so there are no stems."],
    ["midi-failed.json", taskPage.midi.empty, "The MIDI generation failed, so there are no notes."],
    ["video-failed.json", taskPage.video.empty, "The video generation failed, so there is no video."],
  ] as const;
  for (const [name, empty, text] of cases) {
    const taskId = uniqueTaskId("failed");
    expect((await dashboard.callback(fixtureWithTaskId(name, taskId))).status).toBe(200);
    await taskPage.goto(taskId, dashboard.url);
    await expect(empty).toBeVisible();
    await expect(page.getByText(text)).toBeVisible();
  }
});

for (const [theme, width] of VIEWS) {
  test(`the list's kind chips filter by kind and each row shows its kind (${theme}, ${width} px)`, async ({ page, taskList }, testInfo) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width, height: 900 });
    const stats = (await dashboard.getJson<{ total: number; byKind: Record<string, number> }>("/api/stats")).body;
    await taskList.goto(undefined, dashboard.url);
    const labels: [string, string][] = [
      ["cover", "Cover"],
      ["wav", "WAV"],
      ["music", "Music"],
      ["lyrics", "Lyrics"],
      ["separation", "Separation"],
      ["midi", "MIDI"],
      ["video", "Video"],
      ["other", "Other"],
    ];
    await expect(taskList.kindChip("All")).toHaveText(`All ${stats.total}`);
    await expect(taskList.kindChip("All")).toHaveAttribute("aria-pressed", "true");
    for (const [kind, label] of labels) {
      await expect(taskList.kindChip(label)).toHaveText(`${label} ${stats.byKind[kind]}`);
      await expect(taskList.kindChip(label).locator(`svg[data-kind-icon="${kind}"]`)).toHaveCount(1);
    }
    await expect(taskList.kind.locator("option")).toHaveText(["All kinds", ...labels.map(([, l]) => l)]);
    await expectNoOverflow(page);
    await snap(page, testInfo, `list-${theme}-${width}`);

    await taskList.kindChip("Separation").click();
    await expect(page).toHaveURL(/\?kind=separation$/);
    await expect(taskList.kindChip("Separation")).toHaveAttribute("aria-pressed", "true");
    await expect(taskList.kind).toHaveValue("separation");
    const rows = width > 700 ? taskList.bodyRows : taskList.cards.getByRole("listitem");
    await expect(rows).toHaveCount(stats.byKind.separation!);
    await expect(rows.locator('[data-kind="separation"]')).toHaveCount(stats.byKind.separation!);
    await snap(page, testInfo, `list-separation-${theme}-${width}`);
    await taskList.kindChip("Separation").click();
    await expect(page).toHaveURL(new RegExp(`^${dashboard.url}/$`));
  });
}
