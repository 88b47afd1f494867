import { NextResponse } from "next/server";
import { getTaskDetail } from "@/db/queries/tasks";
import { route } from "@/lib/server/route";
import { notFound } from "@/lib/core/errors";
import { pollNow } from "@/lib/provider/poller";
import * as api from "../../schema";

/** Asks the provider's record-info now; answers the updated detail. */
export const POST = route(api.pollTask, async ({ params: { taskId } }) => {
  await pollNow(taskId);
  const detail = await getTaskDetail(taskId);
  if (!detail) throw notFound(`No task with id ${taskId}.`);
  return NextResponse.json(detail);
});
