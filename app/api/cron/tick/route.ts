import { NextResponse } from "next/server";
import { env } from "@/lib/core/env";
import { route } from "@/lib/server/route";
import { AppError, notFound } from "@/lib/core/errors";
import { safeEqual } from "@/lib/auth/safe-equal";
import { runTick } from "@/lib/work/worker";
import * as api from "../schema";

// Vercel ends the function after this many seconds; the tick stops taking new work well before.
export const maxDuration = 60;
const TICK_BUDGET_MS = 45_000;

/** One bounded round of due downloads and polls, for Vercel Cron or any scheduler: `Authorization: Bearer $CRON_SECRET`. */
export const GET = route(api.cronTick, async (_input, request) => {
  const secret = env().CRON_SECRET;
  if (!secret) throw notFound("The cron tick is off: set CRON_SECRET to use it.");
  if (!safeEqual(request.headers.get("authorization") ?? "", `Bearer ${secret}`)) {
    throw new AppError(401, "unauthorized", "Send Authorization: Bearer <CRON_SECRET>.");
  }
  return NextResponse.json(await runTick(TICK_BUDGET_MS), { headers: { "cache-control": "no-store" } });
});
