// Reading a task's files the way a client would, and waiting for downloads.
import { createHash } from "node:crypto";
import type { TestServer } from "./server";

export type Asset = {
  id: number;
  taskId: string;
  type: "image" | "audio";
  position: number;
  remoteUrl: string;
  status: "pending" | "downloading" | "stored" | "failed";
  bytes: number | null;
  bytesReceived: number;
  contentType: string | null;
  sha256: string | null;
  attempts: number;
  error: string | null;
  fileUrl: string | null;
};
export type Detail = {
  task: { taskId: string; status: string; filesExpireAt: string | null; completedAt: string | null };
  assets: Asset[];
  events: { type: string; detail: string | null }[];
};

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

let counter = 0;
/** A task id no other test uses. */
export const uniqueTaskId = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export const coverCallback = (taskId: string, images: string[]) => ({ code: 200, msg: "success", data: { taskId, images } });
export const wavCallback = (taskId: string, audioWavUrl: string) => ({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl } });

export async function detail(server: TestServer, taskId: string): Promise<Detail> {
  const res = await server.getJson<Detail>(`/api/tasks/${encodeURIComponent(taskId)}`);
  if (res.status !== 200) throw new Error(`GET task ${taskId}: ${res.status}`);
  return res.body;
}

/** Polls the task until `done(assets)` holds; fails with the last state after `timeoutMs`. */
export async function waitForAssets(
  server: TestServer,
  taskId: string,
  done: (assets: Asset[]) => boolean,
  timeoutMs = 20_000,
): Promise<Detail> {
  const deadline = Date.now() + timeoutMs;
  let last: Detail | undefined;
  while (Date.now() < deadline) {
    last = await detail(server, taskId);
    if (last.assets.length > 0 && done(last.assets)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for assets of ${taskId}: ${JSON.stringify(last?.assets, null, 1)}\n${server.log().slice(-2000)}`);
}

export const settled = (assets: Asset[]) => assets.every((a) => a.status === "stored" || a.status === "failed");
