import { tasksCsvResponse } from "@/lib/export/csv";
import { route } from "@/lib/server/route";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { exportQuery } from "../schema";

export const GET = route(async (request) => tasksCsvResponse(exportQuery.parse(searchParamsObject(request.url))));
