import { exportResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/route";
import { exportQuery } from "./schema";

export const GET = route({ query: exportQuery }, async ({ query: { raw, ...filter } }, request) => exportResponse(filter, { raw }, request.signal));
