// /insights over a seeded history, the setup doctor, both in light and dark
// themes and at 375 px (screenshots attached to the report), and the task
// list's cards following a test callback without a reload.
import Database from "better-sqlite3";
import type { Page, TestInfo } from "@playwright/test";
import { uniqueTaskId } from "../tests/helpers/ids";
import type { TestServer } from "../tests/helpers/server";
import { expect, test } from "./fixtures";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Writes a known history straight into the server's SQLite file (the app reads it on the next request). */
function seed(server: TestServer) {
  const now = Date.now();
  const recent = Math.floor(now / HOUR) * HOUR - 2 * HOUR;
  const db = new Database(server.dbFile);
  db.pragma("busy_timeout = 5000");
  const task = db.prepare(
    "insert into tasks (task_id, kind, status, code, created_at, updated_at, completed_at, last_source) values (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const add = (kind: string, status: string, code: number | null, at: number, turnaroundMs: number, source: string) => {
    const id = uniqueTaskId("e2e-ins");
    task.run(id, kind, status, code, at, at, at + turnaroundMs, source);
    return id;
  };
  // Cover: 10 in 10…100 s (7 callback, 3 poll). WAV: 20 in 1…20 s (all callback).
  const covers = Array.from({ length: 10 }, (_, i) =>
    add("cover", "succeeded", 200, recent - i * MINUTE, (i + 1) * 10 * SECOND, i < 7 ? "callback" : "poll"),
  );
  for (let i = 0; i < 20; i++) add("wav", "succeeded", 200, recent - i * MINUTE, (i + 1) * SECOND, "callback");
  for (let i = 0; i < 4; i++) add("cover", "failed", 501, recent, 5 * SECOND, "callback");
  add("wav", "failed", 451, recent, 5 * SECOND, "poll");
  // Twenty days ago: only in 30 d and 90 d.
  add("cover", "failed", 500, now - 20 * DAY, 5 * SECOND, "callback");

  const delivery = db.prepare(
    "insert into deliveries (received_at, kind, verdict, body, headers, path) values (?, 'cover', 'accepted', '{}', '{}', '/api/callbacks')",
  );
  // 6 callbacks twenty days ago, 12 over the last day (oldest first, as ids go).
  for (let i = 0; i < 6; i++) delivery.run(now - 20 * DAY);
  for (let i = 11; i >= 0; i--) delivery.run(now - (i + 1) * 90 * MINUTE);

  const asset = db.prepare(
    "insert into assets (task_id, type, position, remote_url, status, bytes, stored_at, created_at, updated_at) values (?, 'image', ?, 'https://cdn.example/x.png', 'stored', ?, ?, ?, ?)",
  );
  for (let d = 0; d < 5; d++) asset.run(covers[d], 0, (d + 1) * 1024 * 1024, now - d * DAY, now, now);
  db.close();
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** Nothing wider than the viewport: no sideways scrolling on a phone. */
async function expectNoOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
}

// A server of this file's own: other files' callbacks must not count in the exact figures below.
test.use({ ownServer: "insights" });
test.describe.configure({ mode: "serial" });

// First, while the database is empty: the empty state has the test-callback button.
test.describe("the task list's cards", () => {
  test("update after Send a test callback, without a reload", async ({ page, taskList }) => {
    await taskList.goto();
    await expect(taskList.emptyState("No tasks yet")).toBeVisible();
    await expect(taskList.stats).toContainText("0 B");
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));

    await taskList.sendTestCallback.click();
    // The sample covers are downloaded in the background; the storage card follows the list's
    // live refresh (2.5 s), not its own idle one (15 s).
    await expect(taskList.stats).toContainText("2 files stored", { timeout: 8_000 });
    await expect(taskList.stats).not.toContainText("0 B");
    await expect(taskList.stats.getByText("Tasks", { exact: true }).locator("..")).toContainText("1");
    await expect(taskList.table).toContainText("2/2 stored");
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");
  });
});

// After the cards' test callback: one more cover succeeded by callback (in
// about 0 s), one more callback received, its two sample covers stored.
test.describe("insights and the doctor", () => {
  test.beforeAll(async ({ server }) => {
    seed(server);
  });

  test("the charts show the seeded history, and the range picker changes it", async ({ page, insights, shell }) => {
    await page.goto("/");
    await shell.navLink("Insights").click();
    await expect(page).toHaveURL(/\/insights$/);
    await expect(insights.root).toHaveAttribute("data-days", "7");

    await expect(insights.turnaround("cover")).toHaveAttribute(
      "aria-label",
      /Cover: median 50 s, 95th percentile 1 min 40 s, over 11 tasks/,
    );
    await expect(insights.turnaround("wav")).toHaveAttribute("aria-label", /WAV: median 10 s, 95th percentile 19 s, over 20 tasks/);
    await expect(insights.sources).toHaveAttribute("aria-label", "32 tasks completed by callback, 4 tasks rescued by polling");
    await expect(insights.failures).toHaveAttribute("aria-label", "code 501: 4 tasks, code 451: 1 task");
    await expect(insights.deliveries).toHaveAttribute("data-total", "13");
    await expect(insights.deliveries).toHaveAttribute("aria-label", /^13 callbacks received; the busiest hour/);
    await expect(insights.deliveries).toHaveAttribute("data-bins", /^16[89]$/); // 7 × 24 hours, the current one included
    const stored = Number(await insights.stored.getAttribute("data-total"));
    expect(stored).toBeGreaterThan(15 * 1024 * 1024); // and the sample covers' few kB
    expect(stored).toBeLessThan(16 * 1024 * 1024);
    await expect(insights.stat("received")).toHaveText("13");
    await expect(insights.stat("failed")).toHaveText("5");
    await expect(insights.stat("stored")).toHaveText("15 MB");

    await insights.range("30 d").click();
    await expect(insights.range("30 d")).toHaveAttribute("aria-pressed", "true");
    await expect(page).toHaveURL(/\/insights\?days=30$/);
    await expect(insights.root).toHaveAttribute("data-days", "30");
    await expect(insights.failures).toHaveAttribute("aria-label", "code 501: 4 tasks, code 451: 1 task, code 500: 1 task");
    await expect(insights.deliveries).toHaveAttribute("data-total", "19");
    await expect(insights.deliveries).toHaveAttribute("data-bins", /^12[01]$/); // per 6 hours

    await insights.range("24 h").click();
    await expect(insights.root).toHaveAttribute("data-days", "1");
    await expect(insights.deliveries).toHaveAttribute("data-total", "13");
    await expect(insights.deliveries).toHaveAttribute("data-bins", "25"); // 24 hours and the current one
    await expect(insights.failures).toHaveAttribute("aria-label", "code 501: 4 tasks, code 451: 1 task");

    // The URL is the state: a reload shows the same range, server-rendered.
    await page.reload();
    await expect(insights.range("24 h")).toHaveAttribute("aria-pressed", "true");
  });

  for (const colorScheme of ["light", "dark"] as const) {
    for (const width of [1280, 375]) {
      test(`screenshots in ${colorScheme} at ${width} px`, async ({ page, insights, setupPage }, testInfo) => {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });

        await insights.goto();
        await expect(insights.deliveries).toHaveAttribute("data-total", "13");
        // The page really is in that theme: the body's background, painted to read it back as RGB.
        const brightness = await page.evaluate(() => {
          const context = document.createElement("canvas").getContext("2d")!;
          context.fillStyle = getComputedStyle(document.body).backgroundColor;
          context.fillRect(0, 0, 1, 1);
          const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
          return (r! + g! + b!) / 3;
        });
        expect(brightness).toBeLessThan(colorScheme === "dark" ? 40 : 256);
        expect(brightness).toBeGreaterThan(colorScheme === "dark" ? -1 : 230);
        await expectNoOverflow(page);
        await shoot(page, testInfo, `insights-${colorScheme}-${width}`);

        await setupPage.goto();
        await expect(setupPage.doctor).toBeVisible();
        // 127.0.0.1 cannot be called back; no key is set; the seeded callbacks came within 2 h.
        await expect(setupPage.check("public-url")).toHaveAttribute("data-verdict", "fail");
        await expect(setupPage.check("public-url")).toContainText("Fix: Set PUBLIC_BASE_URL");
        await expect(setupPage.check("provider")).toHaveAttribute("data-verdict", "warn");
        await expect(setupPage.check("last-callback")).toHaveAttribute("data-verdict", "ok");
        await expect(setupPage.check("storage")).toContainText("takes writes");
        await expect(setupPage.doctor).toHaveAttribute("data-verdict", "fail");
        await expectNoOverflow(page);
        await shoot(page, testInfo, `setup-${colorScheme}-${width}`);
        await testInfo.attach(`doctor-${colorScheme}-${width}`, {
          body: await page.locator("section").filter({ has: setupPage.doctor }).screenshot(),
          contentType: "image/png",
        });
      });
    }
  }
});
