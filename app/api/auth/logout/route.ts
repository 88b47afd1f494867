import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { env } from "@/lib/core/env";
import { endEverySession, endSession, isValidSession, SESSION_COOKIE, sessionCookie } from "@/lib/auth/session";
import { errorJson, route } from "@/lib/server/route";
import * as api from "../schema";

/**
 * Ends this session (its row is deleted, so a copy of the cookie stops
 * working too), or with ?everywhere=1 every session, and sends the browser to
 * the login page. Ending every session takes a live one: this route is open.
 */
export const POST = route(api.logout, async ({ query }, request) => {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  const password = env().DASHBOARD_PASSWORD;
  if (query.everywhere === "1") {
    if (!password || !(await isValidSession(password, value))) {
      return errorJson(401, "unauthorized", "Log in first: only a logged-in browser can end every session.");
    }
    await endEverySession();
  } else {
    await endSession(value);
  }
  const response = new NextResponse(null, { status: 303, headers: { location: "/login" } });
  response.cookies.set(sessionCookie("", request, 0));
  return response;
});
