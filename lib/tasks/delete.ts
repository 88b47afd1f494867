// Deleting a task for good: its stored files (local folder or bucket), then
// its rows (task, assets, timeline, deliveries) in one commit. Files go first:
// when the storage fails, the request fails and nothing is lost track of (the
// task is still there to delete again); a file is never left without its row
// pointing at it. A later callback for the same id creates the task afresh.
import "server-only";
import { deleteTaskRows, taskStorageKeys } from "@/db/queries/tasks";
import { notFound } from "@/lib/core/errors";
import { storage } from "@/lib/storage";

export async function deleteTask(taskId: string): Promise<void> {
  const keys = await taskStorageKeys(taskId);
  if (keys === null) throw notFound(`No task with id ${taskId}.`);
  const store = storage();
  await Promise.all(keys.map((key) => store.remove(key)));
  // Gone already means another request deleted it meanwhile: the outcome asked for.
  const named = (await deleteTaskRows(taskId)) ?? [];
  // A download that stored a file since the keys were read: its file goes too (a
  // download that stores after this loses its claim and removes its own).
  const late = named.filter((key) => !keys.includes(key));
  await Promise.all(late.map((key) => store.remove(key).catch((error) => console.error(`[delete] removing ${key} failed:`, error))));
}
