import { tasksCsvResponse } from "@/lib/export/csv";
import { route } from "@/lib/server/route";
import * as api from "../schema";

export const GET = route(api.exportCsv, async ({ query: { raw, ...filter } }) => tasksCsvResponse(filter, { raw }));
