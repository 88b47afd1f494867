// New work for the provider (cover, WAV) and tracking of tasks of every kind made elsewhere.
// The provider's "already exists" answers become tracking of that task.
import "server-only";
import { pollDue, releasePoll } from "@/db/queries/polls";
import { recordSubmission } from "@/db/queries/submissions";
import { getTaskDetail } from "@/db/queries/tasks";
import type { TaskDetail } from "@/db/queries/dto";
import type { CreateTaskBody } from "@/lib/provider/requests";
import { callbackUrl } from "@/lib/auth/callback-token";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { POLL_LEASE_MS, pollTask } from "@/lib/provider/poller";
import { sunoClient } from "@/lib/provider/status";
import { RateLimitedError } from "@/lib/provider/client";
import type { TaskKind } from "@/lib/core/enums";
import type { Submission } from "@/lib/core/timeline";

type Target = {
  taskId: string;
  kind: TaskKind;
  parentTaskId: string | null;
  audioId: string | null;
  submission: Submission;
  pollNow: boolean;
};

/** Submits or tracks a task; answers its detail and whether the dashboard created it. */
export async function createTask(body: CreateTaskBody): Promise<{ created: boolean; detail: TaskDetail }> {
  const client = sunoClient(); // 503 without a key
  const target = await submit(body, client);
  const now = new Date();
  const recorded = await recordSubmission({
    taskId: target.taskId,
    kind: target.kind,
    parentTaskId: target.parentTaskId,
    audioId: target.audioId,
    submission: target.submission,
    now,
    pollAfterMs: env().POLL_AFTER_SECONDS * 1000,
    // The poll right below is this request's: the worker must not send a second one meanwhile.
    pollLeaseUntil: target.pollNow ? new Date(now.getTime() + POLL_LEASE_MS) : null,
  });
  if (!recorded.ok) throw new AppError(409, "kind_mismatch", recorded.error);
  // Its callback may have gone elsewhere long ago: ask once right away (while
  // it is pending) if the limiter has room. A failure is on the timeline; the poller tries again.
  if (target.pollNow && (await pollDue(target.taskId, false, new Date()))) {
    await pollTask(target, "background", client).catch(async (error) => {
      // Nothing was sent: the worker may poll as soon as the task is due.
      if (error instanceof RateLimitedError) await releasePoll(target.taskId);
    });
  }
  const detail = await getTaskDetail(target.taskId);
  if (!detail) throw new Error(`task ${target.taskId} vanished after it was recorded`);
  return { created: recorded.created, detail };
}

async function submit(body: CreateTaskBody, client: ReturnType<typeof sunoClient>): Promise<Target> {
  switch (body.action) {
    case "track":
      return {
        taskId: body.taskId,
        kind: body.kind,
        parentTaskId: body.parentTaskId ?? null,
        audioId: body.audioId ?? null,
        submission: { action: "track", kind: body.kind, taskId: body.taskId },
        // A task of no known kind has no record-info to ask.
        pollNow: body.kind !== "other",
      };
    case "cover": {
      const answer = await client.generateCover({ musicTaskId: body.musicTaskId, callBackUrl: await callbackUrl("cover") });
      return {
        taskId: answer.taskId,
        kind: "cover",
        parentTaskId: body.musicTaskId,
        audioId: null,
        submission: { action: "cover", musicTaskId: body.musicTaskId, existed: answer.existed ? { message: answer.message } : null },
        pollNow: answer.existed,
      };
    }
    case "wav": {
      const answer = await client.generateWav({
        musicTaskId: body.musicTaskId,
        audioId: body.audioId,
        callBackUrl: await callbackUrl("wav"),
      });
      return {
        taskId: answer.taskId,
        kind: "wav",
        parentTaskId: body.musicTaskId,
        audioId: body.audioId,
        submission: {
          action: "wav",
          musicTaskId: body.musicTaskId,
          audioId: body.audioId,
          existed: answer.existed ? { message: answer.message } : null,
        },
        pollNow: answer.existed,
      };
    }
  }
}
