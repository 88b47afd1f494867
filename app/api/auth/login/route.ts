import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { z } from "zod";
import { clientAddress } from "@/lib/server/client-address";
import { env } from "@/lib/core/env";
import { loginRetryAfter, noteLoginFailure, noteLoginSuccess, type LoginClient } from "@/lib/auth/login-limiter";
import { safeNextPath } from "@/lib/auth/next-path";
import { safeEqual } from "@/lib/auth/safe-equal";
import { DEVICE_COOKIE, deviceCookie, knownDevice, newDevice, sessionCookie, startSession } from "@/lib/auth/session";
import { route } from "@/lib/server/route";
import * as api from "../schema";

// A field that is missing, a file or too long counts as absent.
const field = z.string().max(4096).optional().catch(undefined);
const LoginForm = z.object({ password: field, next: field });

/** The login form posts here (a plain HTML form, so it works before JS loads); answers a 303. */
export const POST = route(api.login, async (_input, request) => {
  const form = await request.formData().catch(() => null);
  const input = LoginForm.parse({ password: form?.get("password") ?? undefined, next: form?.get("next") ?? undefined });
  const next = safeNextPath(input.next);
  const password = env().DASHBOARD_PASSWORD;
  if (!password) return redirect(next);

  const deviceValue = (await cookies()).get(DEVICE_COOKIE)?.value;
  const device = await knownDevice(deviceValue);
  const address = clientAddress(request);
  const client: LoginClient = device ? { device } : { address: address ?? "unknown" };
  const wait = await loginRetryAfter(client);
  if (wait > 0) return tooMany(wait, next);

  if (input.password === undefined || !safeEqual(input.password, password)) {
    const locked = await noteLoginFailure(client);
    return locked > 0 ? tooMany(locked, next) : redirect(loginPath({ error: "wrong", next }));
  }
  await noteLoginSuccess(client);
  const response = redirect(next);
  const session = await startSession(password, { userAgent: request.headers.get("user-agent"), remoteAddress: address });
  response.cookies.set(sessionCookie(session, request));
  response.cookies.set(deviceCookie(device && deviceValue ? deviceValue : await newDevice(), request));
  return response;
});

const loginPath = (params: Record<string, string>) => `/login?${new URLSearchParams(params)}`;

const tooMany = (seconds: number, next: string) =>
  redirect(loginPath({ error: "rate", retry: String(seconds), next }), { "retry-after": String(seconds) });

/** A relative redirect: behind a reverse proxy the request URL's host may not be the browser's. */
function redirect(location: string, headers: Record<string, string> = {}) {
  return new NextResponse(null, { status: 303, headers: { location, ...headers } });
}
