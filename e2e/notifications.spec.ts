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

test("add a destination, send a test, see the attempt", async ({ notifications, shell, browserErrors }) => {
  await notifications.goto();
  await notifications.add({ url: `${receiver.url}/e2e`, name: "My receiver", format: "webhook" });

  const row = notifications.destination("My receiver");
  await expect(row).toBeVisible();
  const secret = (await notifications.secret(row).textContent())!;
  receiver.secret("/e2e", secret);

  await notifications.sendTest(row).click();
  await expect(shell.toast("Test delivered")).toBeVisible();
  const attempt = notifications.attempts(row);
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toContainText("test");
  await expect(attempt).toContainText("HTTP 200");
  expect(receiver.received("/e2e").map((r) => r.verified)).toEqual([true]);

  // A refused address is explained in the form (the API answers 400).
  browserErrors.allowHttpError(400, "/api/destinations");
  await notifications.add({ url: "ftp://example.com/x" });
  await expect(notifications.formError).toContainText("must be an http(s) URL");
});
