import { NextResponse } from "next/server";
import { z } from "zod";
import { taskIdSchema } from "@/lib/callbacks/schemas";
import { redownloadTask } from "@/lib/files/downloads";
import { route } from "@/lib/server/route";

/** Queues every file of the task for a fresh download; answers 202 with the task's detail (409 when it has no files). */
export const POST = route({ params: { schema: z.object({ taskId: taskIdSchema }), notFound: "No such task." } }, async ({ params }) =>
  NextResponse.json(await redownloadTask(params.taskId), { status: 202 }),
);
