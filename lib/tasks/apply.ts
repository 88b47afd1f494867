// The task state machine: the one place that decides what a result does to a
// task, whether it came from a callback, a replay or a poll.
//   pending → succeeded | failed;  failed → succeeded;  succeeded is final.
import type { TaskRow, TaskSource, TaskStatus } from "@/db/schema";
import type { ProviderResult } from "@/lib/tasks/result";

const DAY_MS = 86_400_000;
/** The provider deletes covers after about 14 days and WAV files after about 15. */
export const REMOTE_RETENTION_MS = { cover: 14 * DAY_MS, wav: 15 * DAY_MS } as const;

export type Decision = {
  /** "duplicate" when the result changes nothing the task already knew. */
  verdict: "accepted" | "duplicate";
  /** Columns to write, or null to leave the task's state alone. */
  update: null | {
    status: TaskStatus;
    code: number | null;
    message: string | null;
    completedAt: Date | null;
    filesExpireAt: Date | null;
    lastSource: TaskSource;
  };
  /** Result files to record as assets (only on success). */
  urls: string[];
  /** One line for the task's timeline. */
  detail: string;
};

export function decide(
  current: Pick<TaskRow, "status" | "code" | "message"> | undefined,
  result: ProviderResult,
  source: TaskSource,
  now: Date,
): Decision {
  const summary = describeResult(result);
  if (current?.status === "succeeded") {
    return { verdict: "duplicate", update: null, urls: [], detail: `${summary}; ignored, the task already succeeded` };
  }
  if (result.state === "pending") {
    return { verdict: "duplicate", update: null, urls: [], detail: summary };
  }
  if (current && current.status === result.state && current.code === result.code && current.message === result.message) {
    return { verdict: "duplicate", update: null, urls: [], detail: `${summary}; already known` };
  }
  const succeeded = result.state === "succeeded";
  const completedAt = result.completedAt ?? now;
  return {
    verdict: "accepted",
    update: {
      status: result.state,
      code: result.code,
      message: result.message,
      completedAt,
      filesExpireAt: succeeded ? new Date((result.remoteCreatedAt ?? completedAt).getTime() + REMOTE_RETENTION_MS[result.kind]) : null,
      lastSource: source,
    },
    urls: succeeded ? result.urls : [],
    detail: summary,
  };
}

function describeResult(result: ProviderResult): string {
  if (result.state === "pending") return "still pending at the provider";
  if (result.state === "succeeded") {
    const files = result.kind === "cover" ? `${result.urls.length} image${result.urls.length === 1 ? "" : "s"}` : "the WAV file";
    return `succeeded with ${files}`;
  }
  const code = result.code === null ? "" : ` (code ${result.code})`;
  return `failed${code}${result.message ? `: ${result.message}` : ""}`;
}
