// The callback inbox: every delivery, filters, raw body and headers, replay.
import { expect, test } from "./fixtures";
import { uniqueId } from "./helpers";

test("lists deliveries, filters by verdict, shows raw body and headers", async ({ page, server }) => {
  const taskId = uniqueId("inbox");
  await server.callback({ code: 501, msg: "inbox failure", data: { taskId } }, { headers: { "x-trace": "abc-123" } });
  await server.callback({ code: 501, msg: "inbox failure", data: { taskId } });
  await server.callback('{"truncated": ');

  await page.goto("/deliveries");
  const forTask = page.getByTestId("delivery").filter({ has: page.getByTitle(taskId, { exact: true }) });
  await expect(forTask).toHaveCount(2);
  await expect(forTask.first()).toContainText("duplicate");
  await expect(forTask.last()).toContainText("accepted");

  await forTask.last().getByText("Raw body and headers").click();
  await expect(forTask.last().locator("pre").first()).toContainText('"msg": "inbox failure"');
  await expect(forTask.last().locator("pre").nth(1)).toContainText('"x-trace": "abc-123"');
  // The token never shows: it is stripped from the stored path.
  await expect(forTask.last()).not.toContainText("token=");

  await page.getByRole("button", { name: "Rejected" }).click();
  await expect(page).toHaveURL(/verdict=rejected/);
  await expect(page.getByTestId("delivery").filter({ hasText: "accepted" })).toHaveCount(0);
  await expect(page.getByTestId("delivery-error").first()).toContainText("not valid JSON");
});

test("replay: a rejected delivery shows the reason, an accepted one says what happened", async ({ page, server }) => {
  const taskId = uniqueId("replay");
  await server.callback({ code: 501, msg: "replay me", data: { taskId } });
  await server.callback({ hello: "world" });

  await page.goto("/deliveries?verdict=rejected");
  const rejected = page.getByTestId("delivery").first();
  await expect(rejected).toContainText("rejected");
  await rejected.getByRole("button", { name: "Replay" }).click();
  const error = page.getByTestId("toast").filter({ hasText: "was not accepted" });
  await expect(error).toContainText("data:");

  await page.goto("/deliveries");
  const accepted = page
    .getByTestId("delivery")
    .filter({ has: page.getByTitle(taskId, { exact: true }) })
    .first();
  await accepted.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "replayed" })).toContainText(`Task ${taskId} is failed.`);
});

test("load more pages through deliveries", async ({ page, server }) => {
  for (let i = 0; i < 35; i++) await server.callback({ code: 501, msg: `bulk ${i}`, data: { taskId: uniqueId("bulk") } });
  await page.goto("/deliveries");
  await expect(page.getByTestId("delivery")).toHaveCount(30);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByTestId("delivery")).not.toHaveCount(30);
});
