import { NextResponse } from "next/server";
import { getTaskDetail } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { deleteTask } from "@/lib/tasks/delete";

type Context = { params: Promise<{ taskId: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { taskId } = await params;
  const detail = await getTaskDetail(taskId);
  if (!detail) throw notFound(`No task with id ${taskId}.`);
  return NextResponse.json(detail);
});

/** Deletes the task, its files, timeline and deliveries → 204; 404 when unknown. */
export const DELETE = route(async (_request, { params }: Context) => {
  await deleteTask((await params).taskId);
  return new Response(null, { status: 204 });
});
