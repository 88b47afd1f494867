// Your data: deleting a task (with its confirmation dialog), searching the
// inbox, and replaying every rejected delivery since a time.
import { uniqueTaskId } from "../tests/helpers/ids";
import { expect, test } from "./fixtures";

test("delete a task: the dialog asks first, Cancel keeps it, Delete removes it and goes back to the list", async ({
  page,
  server,
  taskPage,
  shell,
}) => {
  const taskId = uniqueTaskId("e2edel");
  await server.callback({ code: 501, msg: "to be deleted", data: { taskId } });
  await taskPage.goto(taskId);

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this task?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(taskId);
  // The safe choice has the focus; Escape closes the dialog like Cancel.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect((await server.getJson(`/api/tasks/${taskId}`)).status).toBe(200);

  await page.getByRole("button", { name: "Delete", exact: true }).click();
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
  await page.getByRole("searchbox", { name: "Search the raw bodies" }).fill(taskId.slice(-7)); // the tail: ids made together share their start
  await expect(inbox.deliveries).toHaveCount(1);
  await expect(inbox.forTask(taskId)).toHaveCount(1);
  await expect(page).toHaveURL(/q=/);

  await page.getByRole("searchbox", { name: "Search the raw bodies" }).fill("no such text anywhere");
  await expect(page.getByRole("heading", { name: "No deliveries match" })).toBeVisible();

  await page.getByRole("searchbox", { name: "Search the raw bodies" }).fill("");
  await page.getByRole("searchbox", { name: "Task id" }).fill(other);
  await expect(inbox.deliveries).toHaveCount(1);
  await expect(inbox.forTask(other)).toHaveCount(1);
});

test("replay every rejected delivery since a time shows the counts", async ({ page, server, inbox }) => {
  await server.callback('{"broken": ');
  await inbox.goto();
  await page.getByRole("button", { name: "Replay these" }).click();
  await expect(page.getByTestId("bulk-replay-result")).toContainText(/\d+ replayed: \d+ accepted, [1-9]\d* still rejected/);
});
