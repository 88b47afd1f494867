// The callback inbox: every delivery, filters, raw body and headers, replay.
import type { Delivery, Page } from "@/db/queries/dto";
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";
import { INBOX_PAGE_SIZE } from "./pages/inbox";

test("lists deliveries, filters by verdict, shows raw body and headers", async ({ page, server, inbox }) => {
  const taskId = uniqueTaskId("inbox");
  await server.callback({ code: 501, msg: "inbox failure", data: { taskId } }, { headers: { "x-trace": "abc-123" } });
  await server.callback({ code: 501, msg: "inbox failure", data: { taskId } });
  await server.callback('{"truncated": ');

  await inbox.goto();
  const forTask = inbox.forTask(taskId);
  await expect(forTask).toHaveCount(2);
  await expect(forTask.first()).toContainText("duplicate");
  await expect(forTask.last()).toContainText("accepted");

  await inbox.openRaw(forTask.last());
  await expect(inbox.raw(forTask.last(), "body")).toContainText('"msg": "inbox failure"');
  await expect(inbox.raw(forTask.last(), "headers")).toContainText('"x-trace": "abc-123"');
  // The token never shows: it is stripped from the stored path.
  await expect(forTask.last()).not.toContainText("token=");

  await inbox.rejectedFilter.click();
  await expect(page).toHaveURL(/verdict=rejected/);
  await expect(inbox.deliveries.filter({ hasText: "accepted" })).toHaveCount(0);
  await expect(inbox.errors.first()).toContainText("not valid JSON");
});

test("replay: a rejected delivery shows the reason, an accepted one says what happened", async ({
  server,
  inbox,
  shell,
  browserErrors,
}) => {
  const taskId = uniqueTaskId("replay");
  await server.callback({ code: 501, msg: "replay me", data: { taskId } });
  await server.callback({ hello: "world" });

  await inbox.goto("rejected");
  const rejected = inbox.deliveries.first();
  await expect(rejected).toContainText("rejected");
  browserErrors.allowHttpError(400, /^\/api\/deliveries\/\d+\/replay$/); // still not a callback: refused again
  await inbox.replay(rejected);
  await expect(shell.toast("was not accepted")).toContainText("no task id: neither data.taskId, data.task_id nor a top-level task_id");

  await inbox.goto();
  await inbox.replay(inbox.forTask(taskId).first());
  await expect(shell.toast("replayed")).toContainText(`Task ${taskId} is failed.`);
});

test("load more pages through deliveries", async ({ server, inbox }) => {
  const bulk = Array.from({ length: INBOX_PAGE_SIZE + 5 }, () => uniqueTaskId("bulk"));
  for (const [i, taskId] of bulk.entries()) await server.callback({ code: 501, msg: `bulk ${i}`, data: { taskId } });
  // This server may hold other files' deliveries too: the API says how many there are in all.
  const { body } = await server.getJson<Page<Delivery>>("/api/deliveries?limit=200");
  const total = body.items.length;
  expect(total).toBeGreaterThanOrEqual(bulk.length);

  await inbox.goto();
  await expect(inbox.deliveries).toHaveCount(INBOX_PAGE_SIZE);
  // Newest first: the first page is the last INBOX_PAGE_SIZE of the bulk.
  for (const taskId of bulk.slice(-INBOX_PAGE_SIZE)) await expect(inbox.forTask(taskId)).toHaveCount(1);
  await inbox.loadMore.click();
  await expect(inbox.deliveries).toHaveCount(Math.min(2 * INBOX_PAGE_SIZE, total));
  for (const taskId of bulk) await expect(inbox.forTask(taskId)).toHaveCount(1);
});
