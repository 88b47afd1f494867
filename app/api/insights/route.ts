import { NextResponse } from "next/server";
import { getInsights } from "@/db/queries/insights";
import { route } from "@/lib/server/route";
import * as api from "./schema";

/** Turnaround, sources, failures, callbacks per hour and bytes stored per day over the last `days` (1..365, default 7). */
export const GET = route(api.getInsights, async ({ query }) =>
  NextResponse.json(await getInsights(query.days), { headers: { "cache-control": "no-store" } }),
);
