// Login sessions when DASHBOARD_PASSWORD is set: a cookie holding an expiry
// and an HMAC-SHA256 of it. The key is derived from the password, so changing
// the password ends every session. Used by proxy.ts and the login route.
import { createHash, createHmac } from "node:crypto";
import { safeEqual } from "@/lib/auth/safe-equal";

export const SESSION_COOKIE = "suno_session";
const SESSION_MAX_AGE_SECONDS = 30 * 86_400;

const sessionKey = (password: string) => createHash("sha256").update(`suno-dashboard/session/v1\0${password}`).digest();
const sign = (password: string, payload: string) => createHmac("sha256", sessionKey(password)).update(payload).digest("base64url");

/** A fresh cookie value: "<expiry ms>.<signature>". */
export function createSession(password: string, now = Date.now()): string {
  const expires = String(now + SESSION_MAX_AGE_SECONDS * 1000);
  return `${expires}.${sign(password, expires)}`;
}

export function isValidSession(password: string, value: string | undefined, now = Date.now()): boolean {
  const match = value ? /^(\d{13,16})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
  if (!match) return false;
  const [, expires, signature] = match as unknown as [string, string, string];
  return safeEqual(signature, sign(password, expires)) && Number(expires) > now;
}

/** Whether the browser reached us over https, directly or through a TLS-terminating proxy. */
function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return forwarded ? forwarded === "https" : new URL(request.url).protocol === "https:";
}

export function sessionCookie(value: string, request: Request, maxAge = SESSION_MAX_AGE_SECONDS) {
  return {
    name: SESSION_COOKIE,
    value,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: isHttps(request),
    path: "/",
    maxAge,
  };
}
