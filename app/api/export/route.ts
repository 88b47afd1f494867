import { exportResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/route";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { exportQuery } from "./schema";

export const GET = route(async (request) => exportResponse(exportQuery.parse(searchParamsObject(request.url)), request.signal));
