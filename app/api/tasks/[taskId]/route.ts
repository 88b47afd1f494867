import { NextResponse } from "next/server";
import { getTaskDetail } from "@/db/queries/tasks";
import { notFound, route } from "@/lib/server/errors";

type Context = { params: Promise<{ taskId: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { taskId } = await params;
  const detail = await getTaskDetail(taskId);
  if (!detail) throw notFound(`No task with id ${taskId}.`);
  return NextResponse.json(detail);
});
