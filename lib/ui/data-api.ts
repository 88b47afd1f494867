// The browser's calls for deleting tasks and bulk replays (the rest is in api-client.ts).
import { request, taskDetailUrl } from "@/lib/ui/api-client";

export const deleteTask = (taskId: string) => request<null>("DELETE", taskDetailUrl(taskId));

export type BulkReplayResult = { replayed: number; accepted: number; rejected: number; skipped: number };
export const replayMatching = (body: { verdict: "rejected"; since: string }) =>
  request<BulkReplayResult>("POST", "/api/deliveries/replay", body);
