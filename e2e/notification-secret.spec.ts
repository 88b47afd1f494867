// A webhook destination's signing secret on /setup: shown once when made and
// when rotated, masked after a reload; what is sent after a rotation verifies
// with the new secret only.
import { Webhook } from "standardwebhooks";
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

test("the secret is shown once, masked after a reload, and Rotate secret shows the new one once", async ({ page }) => {
  await page.goto("/setup");
  await page.getByRole("button", { name: "Add destination" }).click();
  const form = page.getByRole("form", { name: "New destination" });
  await form.getByLabel("URL").fill(`${receiver.url}/secret`);
  await form.getByLabel("Name (optional)").fill("Secret receiver");
  await form.getByLabel("Format").selectOption("webhook");
  await form.getByRole("button", { name: "Add destination" }).click();

  const row = page.getByTestId("destination").filter({ hasText: "Secret receiver" });
  const shown = row.getByTestId("new-secret");
  await expect(shown).toContainText("shown once");
  const first = (await shown.locator("code").textContent())!;
  expect(first).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

  await page.reload();
  await expect(row.getByTestId("secret-hint")).toHaveText(`whsec_…${first.slice(-4)}`);
  await expect(row.getByTestId("new-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(first.slice("whsec_".length, -4));

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Rotate secret" }).click();
  const second = (await row.getByTestId("new-secret").locator("code").textContent())!;
  expect(second).toMatch(/^whsec_/);
  expect(second).not.toBe(first);
  await expect(row.getByTestId("secret-hint")).toHaveCount(0);

  receiver.secret("/secret", second);
  await row.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Test delivered" })).toBeVisible();
  const [sent] = receiver.received("/secret");
  expect(sent!.verified).toBe(true);
  expect(() => new Webhook(first).verify(sent!.body, sent!.headers)).toThrow();

  await page.reload();
  await expect(row.getByTestId("secret-hint")).toHaveText(`whsec_…${second.slice(-4)}`);
});
