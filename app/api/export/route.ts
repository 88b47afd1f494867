import { exportResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/errors";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { exportQuery } from "./schema";

export const GET = route(async (request) => {
  const { raw, ...filter } = exportQuery.parse(searchParamsObject(request.url));
  return exportResponse(filter, { raw }, request.signal);
});
