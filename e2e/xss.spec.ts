// Untrusted text from callbacks is shown as text and never runs.
import { expect, test } from "./fixtures";

// Exactly this file's deliveries in the inbox below.
test.use({ ownServer: "xss" });

const PAYLOAD = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>`;

test("a hostile message renders as text everywhere and runs nothing", async ({ page, server, taskList, taskPage, inbox }) => {
  const taskId = "xss-task-0001";
  expect((await server.callback({ code: 500, msg: PAYLOAD, data: { taskId, images: null } })).status).toBe(200);
  // And one the dashboard rejects, so the raw body shows up as a rejected delivery too.
  expect(
    (await server.callback({ code: 200, msg: PAYLOAD, data: { images: [`javascript:alert(3)`] } }, { path: "/api/callbacks/cover" }))
      .status,
  ).toBe(400);

  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });

  await taskList.goto();
  await expect(taskList.table.getByText(PAYLOAD)).toBeVisible();

  await taskPage.goto(taskId);
  await expect(taskPage.message).toContainText(PAYLOAD);
  await expect(taskPage.deliveryBlock(taskPage.deliveries.first(), "body")).toContainText("<script>window.__xss=2");

  await inbox.goto();
  // Both deliveries listed before they are opened one by one: `all()` does not wait.
  await expect(inbox.deliveries).toHaveCount(2);
  for (const delivery of await inbox.deliveries.all()) {
    await inbox.openRaw(delivery);
    await expect(inbox.raw(delivery, "body")).toContainText("<script>window.__xss=2"); // as text, JSON-escaped
  }
  await expect(page.getByText("javascript:alert(3)").first()).toBeVisible();

  for (const path of ["/", `/tasks/${taskId}`, "/deliveries"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined();
    expect(await page.locator('img[src="x"]').count(), path).toBe(0);
    expect(await page.locator("main script").count(), path).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count(), path).toBe(0);
  }
  expect(dialogs).toEqual([]);
});
