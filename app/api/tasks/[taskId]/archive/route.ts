import { taskArchiveResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/route";

type Context = { params: Promise<{ taskId: string }> };

export const GET = route(async (request, { params }: Context) => taskArchiveResponse((await params).taskId, request.signal));
