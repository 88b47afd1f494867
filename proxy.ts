// The one gate in front of every page and API route: refuses host names it
// does not answer to (DNS rebinding) and state-changing requests from other
// origins, and when DASHBOARD_PASSWORD is set asks for a session everywhere
// except the callback receivers, plain health (not ?verbose), the OpenAPI
// document and the login itself; API routes also take an API token
// (`Authorization: Bearer sk_…`, lib/auth/api-tokens.ts). Every answer it
// passes or gives carries the security headers (pages: a CSP with a nonce).
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/core/env";
import { errorJson } from "@/lib/server/route";
import { COMMON_SECURITY_HEADERS, NON_DOCUMENT_CSP, newNonce, pagePolicy } from "@/lib/server/security-headers";
import { isValidSession, SESSION_COOKIE } from "@/lib/auth/session";
import { bearerOf, judgeBearer } from "@/lib/auth/api-tokens";
import { clientAddress } from "@/lib/server/client-address";
import { bucketOrigins } from "@/lib/storage/url";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// The cron tick has its own secret (CRON_SECRET), and schedulers hold no session.
// The OpenAPI document holds no data, like plain health.
const OPEN_WITHOUT_SESSION = new Set(["/login", "/api/auth/login", "/api/auth/logout", "/api/cron/tick", "/api/openapi.json"]);

export async function proxy(request: NextRequest) {
  return withSecurityHeaders(request, await gate(request));
}

async function gate(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (!isKnownHost(request.headers.get("host"))) {
    return errorJson(421, "unknown_host", "Refused: this dashboard answers at the host of PUBLIC_BASE_URL, localhost or an IP address.");
  }
  const api = pathname.startsWith("/api/");
  // A browser sends no Authorization header to another site without a CORS
  // preflight (which nothing here answers), and a bearer request is judged by
  // its token alone, never by a cookie riding along: no cross-site check.
  const bearer = api ? bearerOf(request.headers) : null;
  if (!bearer && STATE_CHANGING.has(request.method) && isCrossOrigin(request)) {
    return errorJson(403, "cross_origin", "Refused: this request came from another site.");
  }
  const password = env().DASHBOARD_PASSWORD;
  if (!password || OPEN_WITHOUT_SESSION.has(pathname)) return NextResponse.next();
  if (bearer) {
    const verdict = await judgeBearer(bearer, { method: request.method, pathname, address: clientAddress(request) });
    if (verdict.ok) return NextResponse.next();
    const retry = verdict.retryAfterSeconds ? { "retry-after": String(verdict.retryAfterSeconds) } : undefined;
    return errorJson(verdict.status, verdict.code, verdict.message, retry);
  }
  if (await isValidSession(password, request.cookies.get(SESSION_COOKIE)?.value)) return NextResponse.next();

  if (api) {
    return errorJson(
      401,
      "unauthorized",
      "Log in first, or send Authorization: Bearer <API token>: this dashboard is protected by DASHBOARD_PASSWORD.",
    );
  }
  const login = request.nextUrl.clone();
  login.pathname = "/login";
  login.search = "";
  if (pathname !== "/" || search) login.searchParams.set("next", pathname + search);
  return NextResponse.redirect(login);
}

/**
 * The gate's answer with the security headers. A page request let through
 * also carries its CSP on the request: Next.js takes the nonce from there.
 */
function withSecurityHeaders(request: NextRequest, answer: NextResponse): NextResponse {
  const page = !request.nextUrl.pathname.startsWith("/api/");
  const csp = page
    ? pagePolicy(newNonce(), { dev: process.env.NODE_ENV === "development", mediaOrigins: mediaOrigins() })
    : NON_DOCUMENT_CSP;
  let secured = answer;
  // What NextResponse.next() marks: the request goes on to be rendered.
  if (page && answer.headers.get("x-middleware-next") === "1") {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("content-security-policy", csp);
    secured = NextResponse.next({ headers: answer.headers, request: { headers: requestHeaders } });
  }
  secured.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) secured.headers.set(name, value);
  return secured;
}

/** Covers and audio may come from the bucket that /api/assets/{id}/file redirects to. */
function mediaOrigins(): string[] {
  const { STORAGE_URL, S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE } = env();
  return bucketOrigins({ storageUrl: STORAGE_URL, endpoint: S3_ENDPOINT, region: S3_REGION, forcePathStyle: S3_FORCE_PATH_STYLE });
}

/**
 * A page on an attacker's domain that re-resolves to this machine (DNS
 * rebinding) reaches us with its own name in Host, which browsers do not let
 * scripts change. IP literals, localhost and PUBLIC_BASE_URL's host cannot be
 * rebound, so they are the names answered to.
 */
function isKnownHost(hostHeader: string | null): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[")) return true;
  if (hostname === new URL(env().PUBLIC_BASE_URL).hostname) return true;
  // Vercel's own names for this deployment (cron requests arrive on them); no DNS rebinding there.
  return (
    env().VERCEL && [process.env.VERCEL_URL, process.env.VERCEL_PROJECT_PRODUCTION_URL, process.env.VERCEL_BRANCH_URL].includes(hostname)
  );
}

/**
 * Origin (or, without it, Sec-Fetch-Site) naming another site than this
 * dashboard: not the Host the browser sent, nor PUBLIC_BASE_URL. Never
 * X-Forwarded-Host: any client can send it, naming the Origin it likes.
 */
function isCrossOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin) {
    if (origin === "null") return true;
    const host = request.headers.get("host");
    try {
      return new URL(origin).host !== host && origin !== new URL(env().PUBLIC_BASE_URL).origin;
    } catch {
      return true;
    }
  }
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

export const config = {
  // Never in front of: static build output and the public sample covers (no
  // session needed); the callback receivers and health (the provider and
  // monitors hold no session and send no Origin, and callbacks are the hot
  // path). next.config.ts gives those their security headers.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|samples/|api/callbacks(?:/|$)|api/health$).*)",
    // Health with ?verbose (the setup doctor's details) is gated like any API route; plain health stays open.
    { source: "/api/health", has: [{ type: "query", key: "verbose" }] },
  ],
};
