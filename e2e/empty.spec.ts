// A brand-new dashboard: every page renders and tells the user what to do.
import { expect, test } from "./fixtures";

// A server of its own (a distinct token), so no other file's data shows here.
const TOKEN = "fresh-install-token-0123456789";
test.use({ serverEnv: { CALLBACK_TOKEN: TOKEN } });

test("tasks: the empty state shows the callback URL to paste", async ({ page, server }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "No tasks yet" })).toBeVisible();
  await expect(page.getByText(`${server.url}/api/callbacks?token=${TOKEN}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Send a test callback" })).toBeVisible();
  await expect(page.getByTestId("stats")).toContainText("0 files stored");
});

test("inbox: the empty state explains where callbacks come from", async ({ page }) => {
  await page.goto("/deliveries");
  await expect(page.getByRole("heading", { name: "No callbacks received yet" })).toBeVisible();
  await expect(page.getByText(`token=${TOKEN}`)).toBeVisible();
  await page.getByRole("button", { name: "Rejected" }).click();
  await expect(page.getByRole("heading", { name: "No rejected deliveries" })).toBeVisible();
  await expect(page).toHaveURL(/verdict=rejected/);
});

test("setup: callback URLs, the open-dashboard notice and an unset provider key", async ({ page, server }) => {
  await page.goto("/setup");
  const urls = page.getByTestId("callback-url");
  await expect(urls).toHaveText([
    `${server.url}/api/callbacks?token=${TOKEN}`,
    `${server.url}/api/callbacks/cover?token=${TOKEN}`,
    `${server.url}/api/callbacks/wav?token=${TOKEN}`,
  ]);
  await expect(page.getByTestId("open-notice")).toContainText("This dashboard is open");
  await expect(page.getByTestId("provider-status")).toContainText("Not configured — set SUNO_API_KEY");
  await expect(page.getByText(server.dbFile)).toBeVisible();
  await expect(page.getByText(server.storageDir, { exact: true })).toBeVisible();
});

test("an unknown task answers the not-found page", async ({ page }) => {
  const response = await page.goto("/tasks/no-such-task");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such task" })).toBeVisible();
});
