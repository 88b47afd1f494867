// The task list and a task's page with seeded callbacks.
import Database from "better-sqlite3";
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";
import { seedFixtures } from "./helpers";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ server }) => {
  await seedFixtures(server);
});

test("the list shows counts, statuses, provider messages and files", async ({ taskList }) => {
  await taskList.goto();
  const cover = taskList.row("21aee3c3c2a01fa5e030b3799fa4dd56");
  await expect(cover).toContainText("succeeded");
  await expect(cover).toContainText("0/2 stored");
  await expect(taskList.row("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toContainText("501");
  await expect(taskList.row("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toContainText("Cover generation failed");
  await expect(taskList.row("988e1f2a3b4cc8d3")).toContainText("WAV");
  await expect(taskList.row("3c3d3e3f4a4b4c4d")).toContainText("Download Failed");

  await expect(taskList.stats).toContainText("Tasks");
  // Relative times carry the absolute time in their title.
  await expect(cover.locator("time").first()).toHaveAttribute("title", /UTC$/);
});

test("filters by status and kind, and searches by task id", async ({ page, taskList }) => {
  await taskList.goto();
  await taskList.status.selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(taskList.table.getByText("succeeded")).toHaveCount(0);
  await expect(taskList.taskLink("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toBeVisible();

  await taskList.kind.selectOption("wav");
  await expect(taskList.taskLink("3c3d3e3f4a4b4c4d")).toBeVisible();
  await expect(taskList.taskLink("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e")).toHaveCount(0);

  await taskList.status.selectOption("");
  await taskList.kind.selectOption("");
  await taskList.search.fill("988e1f");
  await expect(page).toHaveURL(/q=988e1f/);
  await expect(taskList.bodyRows).toHaveCount(1);

  // The URL is the state: a reload shows the same view, server-rendered.
  await page.reload();
  await expect(taskList.search).toHaveValue("988e1f");
  await expect(taskList.bodyRows).toHaveCount(1);

  await taskList.search.fill("nothing-matches-this");
  await expect(taskList.emptyState("No tasks match these filters")).toBeVisible();
});

test("load more pages through the list with the keyset cursor", async ({ server, taskList }) => {
  const prefix = uniqueTaskId("page");
  for (let i = 0; i < 55; i++) {
    expect((await server.callback({ code: 501, msg: `failure ${i}`, data: { taskId: `${prefix}-${i}` } })).status).toBe(200);
  }
  await taskList.goto(prefix);
  await expect(taskList.bodyRows).toHaveCount(50);
  await taskList.loadMore.click();
  await expect(taskList.bodyRows).toHaveCount(55);
  await expect(taskList.loadMore).toHaveCount(0);
});

test("a task's page shows its message, timeline and raw deliveries", async ({ page, taskList, taskPage }) => {
  await taskList.goto("4b1f0c");
  await taskList.taskLink("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e").click();
  await expect(page).toHaveURL(/\/tasks\/4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e$/);
  await expect(taskPage.heading).toContainText("4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e");
  await expect(taskPage.message).toHaveText("501Cover generation failed");
  await expect(taskPage.timeline).toContainText("failed (code 501): Cover generation failed");
  const delivery = taskPage.deliveries.first();
  await expect(delivery).toContainText("accepted");
  // The first delivery is open: its body pretty-printed, its headers listed.
  await expect(taskPage.deliveryBlock(delivery, "body")).toContainText('"msg": "Cover generation failed"');
  await expect(taskPage.deliveryBlock(delivery, "headers")).toContainText('"content-type": "application/json"');
  await expect(taskPage.noFiles).toBeVisible();
});

test("the cover gallery names remote covers as text, not images, before they are stored", async ({ taskPage }) => {
  await taskPage.goto("21aee3c3c2a01fa5e030b3799fa4dd56");
  const gallery = taskPage.page.getByTestId("gallery");
  await expect(gallery.getByTestId("remote-url")).toHaveCount(2);
  await expect(gallery.getByTestId("remote-url").first()).toContainText("https://tempfile.aiquickdraw.com/s/");
  await expect(gallery.getByRole("img")).toHaveCount(0);
});

test("phone width: the list turns into cards", async ({ page, taskList }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await taskList.goto("21aee3");
  await expect(taskList.table).toBeHidden();
  await expect(taskList.card("21aee3c3c2a01fa5e030b3799fa4dd56")).toBeVisible();
  // Nothing on any page is wider than the screen.
  for (const path of ["/?q=21aee3", "/tasks/21aee3c3c2a01fa5e030b3799fa4dd56", "/deliveries", "/setup"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test("warns when remote files are about to expire or gone and not stored", async ({ server, taskList, taskPage }) => {
  const soon = uniqueTaskId("soon");
  const gone = uniqueTaskId("gone");
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

  await taskList.goto("soon-");
  await expect(taskList.table).toContainText("Remote files expire in");
  await taskList.goto("gone-");
  await expect(taskList.table).toContainText("Remote files expired");
  await taskPage.goto(gone);
  // The expired remote URL is no longer shown as an image.
  await expect(taskPage.images).toHaveCount(0);
  await expect(taskPage.gallery).toContainText("The provider has deleted this file");
});

// The server draws relative times with its clock when it renders, the browser
// with its own when it hydrates: a browser an hour ahead (or a rounding step
// passed in between) printed other words, and hydration failed (React #418,
// which the fixture turns into a failure). The page first shows the server's
// words, then the browser's.
test("a browser whose clock is an hour ahead hydrates the server's relative times, then shows its own", async ({
  page,
  server,
  taskList,
  taskPage,
}) => {
  const taskId = uniqueTaskId("skew");
  await server.callback({ code: 200, msg: "success", data: { taskId, images: [`${server.url}/not-a-sample.png`] } });
  const db = new Database(server.dbFile);
  db.prepare("update tasks set files_expire_at = ? where task_id = ?").run(Date.now() + 100 * 60_000, taskId);
  db.close();
  await page.clock.install({ time: Date.now() + 60 * 60_000 });

  await taskList.goto("skew-");
  await expect(taskList.row(taskId)).toContainText("Remote files expire in 40 minutes");
  await taskPage.goto(taskId);
  await expect(page.getByText("Remote files expire in 40 minutes")).toBeVisible();
});
