// Reading a task's files the way a client would, and waiting for downloads.
// Shared by the vitest files and the Playwright specs.
import { createHash } from "node:crypto";
import type { Asset, TaskDetail } from "@/db/queries/dto";
import type { TestServer } from "./server";

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** GET /api/tasks/{id}; throws unless it answers 200. */
export async function detail(server: TestServer, taskId: string): Promise<TaskDetail> {
  const res = await server.getJson<TaskDetail>(`/api/tasks/${encodeURIComponent(taskId)}`);
  if (res.status !== 200) throw new Error(`GET task ${taskId}: ${res.status}`);
  return res.body;
}

/** Polls the task until it has assets and `done(assets)` holds; fails with the last state after `timeoutMs`. */
export async function waitForAssets(
  server: TestServer,
  taskId: string,
  done: (assets: Asset[]) => boolean,
  timeoutMs = 20_000,
): Promise<TaskDetail> {
  const deadline = Date.now() + timeoutMs;
  let last: TaskDetail | undefined;
  while (Date.now() < deadline) {
    last = await detail(server, taskId);
    if (last.assets.length > 0 && done(last.assets)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for assets of ${taskId}: ${JSON.stringify(last?.assets, null, 1)}\n${server.log().slice(-2000)}`);
}

/** Every asset stored or failed. */
export const settled = (assets: Asset[]) => assets.every((a) => a.status === "stored" || a.status === "failed");
/** Every asset stored. */
export const allStored = (assets: Asset[]) => assets.every((a) => a.status === "stored");
