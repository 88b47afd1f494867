import { NextResponse } from "next/server";
import { clientAddress } from "@/lib/server/client-address";
import { env } from "@/lib/server/env";
import { loginRetryAfter, noteLoginFailure, noteLoginSuccess } from "@/lib/auth/login-limiter";
import { safeEqual } from "@/lib/auth/safe-equal";
import { safeNextPath } from "@/lib/auth/next-path";
import { createSession, sessionCookie } from "@/lib/auth/session";

/** The login form posts here (a plain HTML form, so it works before JS loads); answers a 303. */
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const next = safeNextPath(String(form?.get("next") ?? "/"));
  const password = env().DASHBOARD_PASSWORD;
  if (!password) return redirect(next);

  const address = clientAddress(request) ?? "local";
  const retryAfter = loginRetryAfter(address);
  if (retryAfter > 0) return redirect(loginPath("rate", next), { "retry-after": String(retryAfter) });

  const candidate = form?.get("password");
  if (typeof candidate !== "string" || !safeEqual(candidate, password)) {
    noteLoginFailure(address);
    return redirect(loginPath("wrong", next));
  }
  noteLoginSuccess(address);
  const response = redirect(next);
  response.cookies.set(sessionCookie(createSession(password), request));
  return response;
}

const loginPath = (error: string, next: string) => `/login?${new URLSearchParams({ error, next })}`;

/** A relative redirect: behind a reverse proxy the request URL's host may not be the browser's. */
function redirect(location: string, headers: Record<string, string> = {}) {
  return new NextResponse(null, { status: 303, headers: { location, ...headers } });
}
