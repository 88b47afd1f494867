import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { bearerOf, checkApiToken } from "@/lib/auth/api-tokens";
import { isValidSession, SESSION_COOKIE } from "@/lib/auth/session";
import { overall } from "@/lib/server/doctor";
import { runDoctor } from "@/lib/server/doctor-facts";
import { env } from "@/lib/core/env";
import { route } from "@/lib/server/route";
import { AppError, badRequest } from "@/lib/core/errors";
import { checkHealth } from "@/lib/server/health";
import * as api from "./schema";

/**
 * Plain: open to monitors, driver names only, the storage's write test at
 * most once a minute. `?verbose=1`: the setup doctor's checks (paths, times,
 * credits) with a write test of its own, behind the session (or an API token)
 * when DASHBOARD_PASSWORD is set: proxy.ts gates it, and so does this route,
 * so the details never depend on how the proxy's matcher reads a query string.
 */
export const GET = route(api.getHealth, async ({ query: { verbose } }, request) => {
  // route() takes an empty value as absent; an empty verbose (`?verbose`) stays refused, never read as plain health.
  if (new URL(request.url).searchParams.get("verbose") === "") throw badRequest("invalid_request", "verbose: must be 0 or 1");
  const headers = { "cache-control": "no-store" };
  if (verbose === "0") {
    const health = await checkHealth();
    return NextResponse.json(health, { status: health.ok ? 200 : 503, headers });
  }
  const password = env().DASHBOARD_PASSWORD;
  if (password && !(await isValidSession(password, (await cookies()).get(SESSION_COOKIE)?.value))) {
    const token = bearerOf(request.headers);
    if (!token || !(await checkApiToken(token))) {
      throw new AppError(401, "unauthorized", "Log in first: the detailed health is behind DASHBOARD_PASSWORD.");
    }
  }
  const health = await checkHealth({ fresh: true });
  const checks = await runDoctor(health);
  return NextResponse.json({ ...health, verdict: overall(checks), checks }, { status: health.ok ? 200 : 503, headers });
});
