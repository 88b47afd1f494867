import { taskArchiveResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/route";
import * as api from "../../schema";

export const GET = route(api.taskArchive, async ({ params }, request) => taskArchiveResponse(params.taskId, request.signal));
