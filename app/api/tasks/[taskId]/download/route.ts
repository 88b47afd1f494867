import { NextResponse } from "next/server";
import { redownloadTask } from "@/lib/files/downloads";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { taskIdSchema } from "@/lib/callbacks/schemas";

type Context = { params: Promise<{ taskId: string }> };

/** Queues every file of the task for a fresh download; answers 202 with the task's detail (409 when it has no files). */
export const POST = route(async (_request, { params }: Context) => {
  const taskId = taskIdSchema.safeParse((await params).taskId);
  if (!taskId.success) throw notFound("No such task.");
  return NextResponse.json(await redownloadTask(taskId.data), { status: 202 });
});
