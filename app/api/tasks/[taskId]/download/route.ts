import { NextResponse } from "next/server";
import { redownloadTask } from "@/lib/files/downloads";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

/** Queues every file of the task for a fresh download; answers 202 with the task's detail (409 when it has no files). */
export const POST = route(api.downloadTask, async ({ params }) => NextResponse.json(await redownloadTask(params.taskId), { status: 202 }));
