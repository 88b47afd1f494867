import { NextResponse } from "next/server";
import { getTaskDetail } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { deleteTask } from "@/lib/tasks/delete";
import * as api from "../schema";

export const GET = route(api.getTask, async ({ params: { taskId } }) => {
  const detail = await getTaskDetail(taskId);
  if (!detail) throw notFound(`No task with id ${taskId}.`);
  return NextResponse.json(detail);
});

/** Deletes the task, its files, timeline and deliveries → 204; 404 when unknown. */
export const DELETE = route(api.deleteTask, async ({ params }) => {
  await deleteTask(params.taskId);
  return new Response(null, { status: 204 });
});
