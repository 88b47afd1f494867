import { NextResponse } from "next/server";
import { listTasks } from "@/db/queries/tasks";
import { route } from "@/lib/errors";
import { listTasksQuery, searchParamsObject } from "./schema";

export const GET = route(async (request) => {
  const filter = listTasksQuery.parse(searchParamsObject(request.url));
  return NextResponse.json(await listTasks(filter));
});
