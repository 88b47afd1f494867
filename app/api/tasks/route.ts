import { NextResponse } from "next/server";
import { listTasks } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { createTask } from "@/lib/provider/submissions";
import * as api from "./schema";

export const GET = route(api.listTasks, async ({ query }) => NextResponse.json(await listTasks(query)));

/** Track a provider task, or submit a cover / WAV conversion; answers the task's detail. */
export const POST = route(api.createTask, async ({ body }) => {
  const { created, detail } = await createTask(body);
  return NextResponse.json(detail, { status: created ? 201 : 200 });
});
