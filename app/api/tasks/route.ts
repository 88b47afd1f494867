import { NextResponse } from "next/server";
import { listTasks } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { badRequest } from "@/lib/core/errors";
import { createTask } from "@/lib/provider/submissions";
import { createTaskBody, listTasksQuery, searchParamsObject } from "./schema";

export const GET = route(async (request) => {
  const filter = listTasksQuery.parse(searchParamsObject(request.url));
  return NextResponse.json(await listTasks(filter));
});

/** Track a provider task, or submit a cover / WAV conversion; answers the task's detail. */
export const POST = route(async (request) => {
  const json: unknown = await request.json().catch(() => {
    throw badRequest("invalid_json", 'The body must be JSON, e.g. {"action":"cover","musicTaskId":"..."}.');
  });
  const body = createTaskBody.parse(json);
  const { created, detail } = await createTask(body);
  return NextResponse.json(detail, { status: created ? 201 : 200 });
});
