// Notifications on /setup: add a webhook destination pointing at a local
// receiver, send a test, see the attempt (and the receiver got it, signed).
import { expect, test } from "./fixtures";
import { startReceiver, type Receiver } from "../tests/helpers/receiver";

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});
test.use({ serverEnv: { NOTIFY_ALLOW_PRIVATE: "1" } });

test("add a destination, send a test, see the attempt", async ({ page }) => {
  await page.goto("/setup");
  await page.getByRole("button", { name: "Add destination" }).click();
  const form = page.getByRole("form", { name: "New destination" });
  await form.getByLabel("URL").fill(`${receiver.url}/e2e`);
  await form.getByLabel("Name (optional)").fill("My receiver");
  await form.getByLabel("Format").selectOption("webhook");
  await form.getByRole("button", { name: "Add destination" }).click();

  const row = page.getByTestId("destination").filter({ hasText: "My receiver" });
  await expect(row).toBeVisible();
  const secret = (await row.locator("code", { hasText: "whsec_" }).textContent())!;
  receiver.secret("/e2e", secret);

  await row.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Test delivered" })).toBeVisible();
  const attempt = row.getByTestId("attempt");
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toContainText("test");
  await expect(attempt).toContainText("HTTP 200");
  expect(receiver.received("/e2e").map((r) => r.verified)).toEqual([true]);

  // A refused address is explained in the form.
  await page.getByRole("button", { name: "Add destination" }).click();
  await page.getByRole("form", { name: "New destination" }).getByLabel("URL").fill("ftp://example.com/x");
  await page.getByRole("form", { name: "New destination" }).getByRole("button", { name: "Add destination" }).click();
  await expect(page.getByTestId("destination-error")).toContainText("must be an http(s) URL");
});
