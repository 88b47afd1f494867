// The signature badge on deliveries, in the inbox and on the task page: a
// server of its own with a Standard Webhooks key (CALLBACK_SIGNING_KEY).
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { expect, test } from "./fixtures";
import { uniqueTaskId } from "../tests/helpers/ids";

const WHSEC = `whsec_${randomBytes(32).toString("base64")}`;
test.use({ serverEnv: { CALLBACK_SIGNING_KEY: WHSEC } });

function signed(body: string, secret = WHSEC): Record<string, string> {
  const id = `msg_${randomBytes(8).toString("hex")}`;
  const at = new Date();
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

test("deliveries say in words whether their signature was verified, missing or invalid", async ({ page, server }) => {
  const verified = uniqueTaskId("signed");
  const unsigned = uniqueTaskId("unsigned");
  const forged = uniqueTaskId("forged");
  const body = (taskId: string) => JSON.stringify({ code: 501, msg: "signature test", data: { taskId } });
  expect((await server.callback(body(verified), { headers: signed(body(verified)) })).status).toBe(200);
  expect((await server.callback(body(unsigned))).status).toBe(200);
  const otherKey = `whsec_${randomBytes(32).toString("base64")}`;
  expect((await server.callback(body(forged), { headers: signed(body(forged), otherKey) })).status).toBe(401);

  await page.goto("/deliveries");
  const card = (taskId: string) => page.getByTestId("delivery").filter({ hasText: taskId });
  await expect(card(verified).getByTestId("signature")).toHaveText(/signature verified/);
  await expect(card(verified).getByTestId("signature")).toHaveAttribute("title", "Signature verified (Standard Webhooks)");
  await expect(card(unsigned).getByTestId("signature")).toHaveText(/unsigned/);
  // The refused one is in the inbox, rejected, with nothing to replay.
  await expect(card(forged).getByTestId("signature")).toHaveText(/signature invalid/);
  await expect(card(forged)).toContainText("rejected");
  await expect(card(forged).getByRole("button", { name: "Replay" })).toHaveCount(0);

  await page.goto(`/tasks/${verified}`);
  await expect(page.getByTestId("delivery").getByTestId("signature")).toHaveText(/signature verified/);
});
