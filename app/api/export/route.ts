import { exportResponse } from "@/lib/export/archive";
import { route } from "@/lib/server/route";
import * as api from "./schema";

export const GET = route(api.exportZip, async ({ query: { raw, ...filter } }, request) => exportResponse(filter, { raw }, request.signal));
