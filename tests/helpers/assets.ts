// Reading a task's files the way a client would, and waiting for downloads.
// Shared by the vitest files and the Playwright specs.
import { createHash } from "node:crypto";
import type { Asset, TaskDetail } from "@/db/queries/dto";
import { taskDetail } from "./http";
import type { TestServer } from "./server";
import { waitFor } from "./wait";

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Polls the task until it has assets and `done(assets)` holds; fails with the last state after `timeoutMs`. */
export function waitForAssets(
  server: TestServer,
  taskId: string,
  done: (assets: Asset[]) => boolean,
  timeoutMs = 20_000,
): Promise<TaskDetail> {
  return waitFor(
    () => taskDetail(server, taskId),
    (d) => d.assets.length > 0 && done(d.assets),
    { timeoutMs, what: () => `the assets of ${taskId}\n${server.log().slice(-2000)}` },
  );
}

/** Every asset stored or failed. */
export const settled = (assets: Asset[]) => assets.every((a) => a.status === "stored" || a.status === "failed");
/** Every asset stored. */
export const allStored = (assets: Asset[]) => assets.every((a) => a.status === "stored");
