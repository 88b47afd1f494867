import { NextResponse } from "next/server";
import { getTaskStats } from "@/db/queries/stats";
import { route } from "@/lib/server/route";
import * as api from "./schema";

/** Counts by status and kind and storage used, for the task list's header. */
export const GET = route(api.getStats, async () => NextResponse.json(await getTaskStats()));
