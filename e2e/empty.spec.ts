// A brand-new dashboard: every page renders and tells the user what to do.
import { expect, test } from "./fixtures";

// A server of its own (a distinct token), so no other file's data shows here.
const TOKEN = "fresh-install-token-0123456789";
test.use({ serverEnv: { CALLBACK_TOKEN: TOKEN } });

test("tasks: the empty state shows the callback URL to paste", async ({ page, server, taskList }) => {
  await taskList.goto();
  await expect(taskList.emptyState("No tasks yet")).toBeVisible();
  await expect(page.getByText(`${server.url}/api/callbacks?token=${TOKEN}`)).toBeVisible();
  await expect(taskList.sendTestCallback).toBeVisible();
  await expect(taskList.stats).toContainText("0 files stored");
});

test("inbox: the empty state explains where callbacks come from", async ({ page, inbox }) => {
  await inbox.goto();
  await expect(inbox.emptyState("No callbacks received yet")).toBeVisible();
  await expect(page.getByText(`token=${TOKEN}`)).toBeVisible();
  await inbox.rejectedFilter.click();
  await expect(inbox.emptyState("No rejected deliveries")).toBeVisible();
  await expect(page).toHaveURL(/verdict=rejected/);
});

test("setup: callback URLs, the open-dashboard notice and an unset provider key", async ({ page, server, setupPage }) => {
  await setupPage.goto();
  await expect(setupPage.callbackUrls).toHaveText([
    `${server.url}/api/callbacks?token=${TOKEN}`,
    `${server.url}/api/callbacks/cover?token=${TOKEN}`,
    `${server.url}/api/callbacks/wav?token=${TOKEN}`,
  ]);
  await expect(setupPage.openNotice).toContainText("This dashboard is open");
  await expect(setupPage.providerStatus).toContainText("Not configured — set SUNO_API_KEY");
  await expect(page.getByText(server.dbFile)).toBeVisible();
  await expect(page.getByText(server.storageDir, { exact: true })).toBeVisible();
});

test("an unknown task answers the not-found page", async ({ taskPage, browserErrors }) => {
  browserErrors.allowHttpError(404, "/tasks/no-such-task"); // checked below
  const response = await taskPage.goto("no-such-task");
  expect(response?.status()).toBe(404);
  await expect(taskPage.notFound).toBeVisible();
});
