import { NextResponse } from "next/server";
import { apiDocument } from "@/app/api/operations";
import { route } from "@/lib/server/route";
import * as api from "./schema";

/** Open like plain health: it describes the API and holds no data. */
export const GET = route(api.getOpenApi, async () => NextResponse.json(apiDocument(), { headers: { "cache-control": "no-cache" } }));
