import { NextResponse } from "next/server";
import { getInsights } from "@/db/queries/insights";
import { route } from "@/lib/server/route";
import { searchParamsObject } from "@/app/api/tasks/schema";
import { insightsQuery } from "./schema";

/** Turnaround, sources, failures, callbacks per hour and bytes stored per day over the last `days` (1..365, default 7). */
export const GET = route(async (request) => {
  const { days } = insightsQuery.parse(searchParamsObject(request.url));
  return NextResponse.json(await getInsights(days), { headers: { "cache-control": "no-store" } });
});
