// Every page under the Content-Security-Policy: served with a fresh nonce,
// hydrated (its scripts ran), and nothing refused in the console (the fixture
// fails any test on a violation).
import { expect, test } from "./fixtures";
import { uniqueTaskId } from "../tests/helpers/ids";

test("every page is served with a nonce CSP and still works", async ({ page, server, cspViolations, browserErrors }) => {
  // Tasks of its own: the shared fixtures belong to the specs that count their deliveries.
  const cover = uniqueTaskId("csp-cover");
  const wav = uniqueTaskId("csp-wav");
  expect((await server.callback({ code: 501, msg: "Cover generation failed", data: { taskId: cover, images: null } })).status).toBe(200);
  expect((await server.callback({ code: 451, msg: "Download failed", data: { task_id: wav, audioWavUrl: null } })).status).toBe(200);
  const pages = ["/", "/?status=failed", `/tasks/${cover}`, `/tasks/${wav}`, "/deliveries", "/setup", "/api-docs", "/no-such-page"];
  browserErrors.allowHttpError(404, "/no-such-page"); // the not-found page, answered 404 as it should
  for (const path of pages) {
    const res = await page.goto(path);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await expect(page.locator("main"), path).toBeVisible();
    await page.waitForLoadState("networkidle");
  }

  // Client code runs: a filter button changes the address without a reload.
  await page.goto("/deliveries");
  await page.getByRole("button", { name: "Rejected" }).click();
  await expect(page).toHaveURL(/\/deliveries\?verdict=rejected$/);
  // And client-side navigation works (the RSC fetch is allowed by connect-src).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("task-table")).toBeVisible();
  expect(cspViolations).toEqual([]);
});
