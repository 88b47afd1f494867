// The task list and a task's page with seeded callbacks.
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { seedFixtures, uniqueId } from "./helpers";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ server }) => {
  await seedFixtures(server);
});

test("the list shows counts, statuses, provider messages and files", async ({ page }) => {
  await page.goto("/");
  const table = page.getByTestId("task-table");
  const row = (id: string) => table.getByRole("row").filter({ has: page.getByTitle(id, { exact: true }) });

  const cover = row("21aee3c3c2a01fa5e030b3799fa4dd56");
  await expect(cover).toContainText("succeeded");
  await expect(cover).toContainText("0/2 stored");
  await expect(row("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toContainText("501");
  await expect(row("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toContainText("Cover generation failed");
  await expect(row("988e1f2a3b4cc8d3")).toContainText("WAV");
  await expect(row("3c3d3e3f4a4b4c4d")).toContainText("Download Failed");

  const stats = page.getByTestId("stats");
  await expect(stats).toContainText("Tasks");
  // Relative times carry the absolute time in their title.
  await expect(cover.locator("time").first()).toHaveAttribute("title", /UTC$/);
});

test("filters by status and kind, and searches by task id", async ({ page }) => {
  await page.goto("/");
  const table = page.getByTestId("task-table");
  await page.getByLabel("Status").selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(table.getByText("succeeded")).toHaveCount(0);
  await expect(table.getByTitle("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e", { exact: true })).toBeVisible();

  await page.getByLabel("Kind").selectOption("wav");
  await expect(table.getByTitle("3c3d3e3f4a4b4c4d", { exact: true })).toBeVisible();
  await expect(table.getByTitle("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e", { exact: true })).toHaveCount(0);

  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Kind").selectOption("");
  await page.getByRole("searchbox", { name: "Search by task id" }).fill("988e1f");
  await expect(page).toHaveURL(/q=988e1f/);
  await expect(table.getByRole("row")).toHaveCount(2); // header + one task

  // The URL is the state: a reload shows the same view, server-rendered.
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search by task id" })).toHaveValue("988e1f");
  await expect(table.getByRole("row")).toHaveCount(2);

  await page.getByRole("searchbox", { name: "Search by task id" }).fill("nothing-matches-this");
  await expect(page.getByRole("heading", { name: "No tasks match these filters" })).toBeVisible();
});

test("load more pages through the list with the keyset cursor", async ({ page, server }) => {
  const prefix = uniqueId("page");
  for (let i = 0; i < 55; i++) {
    expect((await server.callback({ code: 501, msg: `failure ${i}`, data: { taskId: `${prefix}-${i}` } })).status).toBe(200);
  }
  await page.goto(`/?q=${prefix}`);
  const rows = page.getByTestId("task-table").locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(55);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
});

test("a task's page shows its message, timeline and raw deliveries", async ({ page }) => {
  await page.goto("/?q=4b1f0c");
  await page.getByTestId("task-table").getByTitle("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e", { exact: true }).click();
  await expect(page).toHaveURL(/\/tasks\/4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e");
  await expect(page.getByTestId("task-message")).toHaveText("501Cover generation failed");
  await expect(page.getByTestId("timeline")).toContainText("failed (code 501): Cover generation failed");
  const delivery = page.getByTestId("delivery").first();
  await expect(delivery).toContainText("accepted");
  // The first delivery is open: its body pretty-printed, its headers listed.
  await expect(delivery.locator("pre").first()).toContainText('"msg": "Cover generation failed"');
  await expect(delivery.locator("pre").nth(1)).toContainText('"content-type": "application/json"');
  await expect(page.getByRole("heading", { name: "No files" })).toBeVisible();
});

test("the cover gallery names remote covers as text, not images, before they are stored", async ({ page }) => {
  await page.goto("/tasks/21aee3c3c2a01fa5e030b3799fa4dd56");
  const gallery = page.getByTestId("gallery");
  await expect(gallery.getByTestId("remote-url")).toHaveCount(2);
  await expect(gallery.getByTestId("remote-url").first()).toContainText("https://tempfile.aiquickdraw.com/s/");
  await expect(gallery.getByRole("img")).toHaveCount(0);
});

test("phone width: the list turns into cards", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/?q=21aee3");
  await expect(page.getByTestId("task-table")).toBeHidden();
  await expect(page.getByTestId("task-cards").getByTitle("21aee3c3c2a01fa5e030b3799fa4dd56", { exact: true })).toBeVisible();
  // Nothing on any page is wider than the screen.
  for (const path of ["/?q=21aee3", "/tasks/21aee3c3c2a01fa5e030b3799fa4dd56", "/deliveries", "/setup"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test("warns when remote files are about to expire or gone and not stored", async ({ page, server }) => {
  const soon = uniqueId("soon");
  const gone = uniqueId("gone");
  for (const taskId of [soon, gone]) {
    // A private address that is not one of the dashboard's samples: the download is refused, so nothing is stored.
    await server.callback({ code: 200, msg: "success", data: { taskId, images: [`${server.url}/not-a-sample.png`] } });
  }
  // Time passes: the provider's 14 days are nearly or entirely over (the only way to get there in a test).
  const db = new Database(server.dbFile);
  const setExpiry = db.prepare("update tasks set files_expire_at = ? where task_id = ?");
  setExpiry.run(Date.now() + 86_400_000, soon);
  setExpiry.run(Date.now() - 86_400_000, gone);
  db.close();

  await page.goto("/?q=soon-");
  await expect(page.getByTestId("task-table")).toContainText("Remote files expire in");
  await page.goto("/?q=gone-");
  await expect(page.getByTestId("task-table")).toContainText("Remote files expired");
  await page.goto(`/tasks/${gone}`);
  // The expired remote URL is no longer shown as an image.
  await expect(page.getByTestId("gallery").getByRole("img")).toHaveCount(0);
  await expect(page.getByTestId("gallery")).toContainText("The provider has deleted this file");
});
