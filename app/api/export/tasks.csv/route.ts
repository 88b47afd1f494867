import { tasksCsvResponse } from "@/lib/export/csv";
import { route } from "@/lib/server/route";
import { exportQuery } from "../schema";

export const GET = route({ query: exportQuery }, async ({ query: { raw, ...filter } }) => tasksCsvResponse(filter, { raw }));
