// Your data: deleting a task (with its confirmation dialog), searching the
// inbox, and replaying every rejected delivery since a time.
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";

// Exact counts below: no other file's deliveries on this server.
test.use({ ownServer: "data" });

test("delete a task: the dialog asks first, Cancel keeps it, Delete removes it and goes back to the list", async ({
  page,
  server,
  taskPage,
  shell,
}) => {
  const taskId = uniqueTaskId("e2edel");
  await server.callback({ code: 501, msg: "to be deleted", data: { taskId } });
  await taskPage.goto(taskId);

  await taskPage.delete.click();
  const dialog = taskPage.deleteDialog;
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(taskId);
  // The safe choice has the focus; Escape closes the dialog like Cancel.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect((await server.getJson(`/api/tasks/${taskId}`)).status).toBe(200);

  await taskPage.delete.click();
  await dialog.getByRole("button", { name: "Delete task" }).click();
  await expect(shell.toast(`Task ${taskId} deleted`)).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  expect((await server.getJson(`/api/tasks/${taskId}`)).status).toBe(404);
});

test("search the inbox by a part of a body and filter by task", async ({ page, server, inbox }) => {
  const taskId = uniqueTaskId("e2esearch");
  const other = uniqueTaskId("e2esearch");
  await server.callback({ code: 501, msg: "findable failure", data: { taskId } });
  await server.callback({ code: 501, msg: "other failure", data: { taskId: other } });

  await inbox.goto();
  await inbox.search.fill(taskId.slice(-7)); // the tail: ids made together share their start
  await expect(inbox.deliveries).toHaveCount(1);
  await expect(inbox.forTask(taskId)).toHaveCount(1);
  await expect(page).toHaveURL(/q=/);

  await inbox.search.fill("no such text anywhere");
  await expect(inbox.emptyState("No deliveries match")).toBeVisible();

  await inbox.search.fill("");
  await inbox.taskFilter.fill(other);
  await expect(inbox.deliveries).toHaveCount(1);
  await expect(inbox.forTask(other)).toHaveCount(1);
});

test("replay every rejected delivery since a time shows the counts", async ({ server, inbox }) => {
  // The only rejected deliveries on this server: two bodies that are not JSON, and stay so.
  await server.callback('{"broken": ');
  await server.callback("not json either");
  await inbox.goto();
  await inbox.bulkReplay.click();
  await expect(inbox.bulkReplayResult).toHaveText("2 replayed: 0 accepted, 2 still rejected.");
});
