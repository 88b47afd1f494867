// API tokens for scripts, CI jobs and other apps: `Authorization: Bearer sk_…`
// opens the API routes like a session when DASHBOARD_PASSWORD is set (proxy.ts
// asks judgeBearer). A token is 32 random bytes, shown once when made; only its
// SHA-256 is stored (a token that long needs no slow hash), so checking one is
// one read of a unique index, and deleting its row revokes it on every instance
// at the next request. Wrong tokens count toward the login limiter.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import {
  deleteApiToken,
  findApiToken,
  findApiTokenAndLock,
  insertApiToken,
  listApiTokens,
  touchApiToken,
  type ApiToken,
} from "@/db/queries/api-tokens";
import type { TokenScope } from "@/lib/core/enums";
import { notFound, type ErrorCode } from "@/lib/core/errors";
import { noteLoginFailure, secondsLeft, addressKey } from "@/lib/auth/login-limiter";

export type { ApiToken };
export type NewApiToken = ApiToken & { token: string };

const PREFIX = "sk_";
/** lastUsedAt is a hint for people: written at most this often per token, whatever the traffic. */
const TOUCH_EVERY_MS = 60_000;
/** Methods a `read` token may use. */
const READ_METHODS = new Set(["GET", "HEAD"]);
/** Token management takes a logged-in browser: a leaked token must not mint or revoke others. */
const SESSION_ONLY = /^\/api\/tokens(\/|$)/;

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export async function makeApiToken(input: { name: string; scope: TokenScope }, now = new Date()): Promise<NewApiToken> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const made = await insertApiToken({ name: input.name, scope: input.scope, tokenHash: hashOf(token), createdAt: now });
  return { ...made, token };
}

export const listTokens = listApiTokens;

export async function revokeApiToken(id: number): Promise<void> {
  if (!(await deleteApiToken(id))) throw notFound(`No API token with id ${id}.`);
}

/** The value of `Authorization: Bearer <value>`, or null. */
export function bearerOf(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** The scope of a live token (its use recorded, at most once a minute), or null for a wrong or revoked one. */
export async function checkApiToken(token: string, now = new Date()): Promise<TokenScope | null> {
  if (!token.startsWith(PREFIX)) return null;
  const row = await findApiToken(hashOf(token));
  if (row) await noteUse(row, now);
  return row?.scope ?? null;
}

async function noteUse(row: { id: number; lastUsedAt: Date | null }, now: Date): Promise<void> {
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) await touchApiToken(row.id, now, TOUCH_EVERY_MS);
}

export type BearerVerdict =
  { ok: true } | { ok: false; status: 401 | 403 | 429; code: ErrorCode; message: string; retryAfterSeconds?: number };

/**
 * Whether a request carrying a bearer token may reach an API route. While the
 * client's address is locked for wrong passwords or tokens the token is not
 * even checked (429), so guessing stays as slow as for passwords.
 */
export async function judgeBearer(
  token: string,
  request: { method: string; pathname: string; address: string | null },
): Promise<BearerVerdict> {
  const address = request.address ?? "unknown";
  const now = new Date();
  // One read: the token and the address's lock together.
  const { token: row, lockedUntil } = await findApiTokenAndLock(hashOf(token), addressKey(address));
  const wait = secondsLeft(lockedUntil, now.getTime());
  if (wait > 0) {
    return {
      ok: false,
      status: 429,
      code: "rate_limited",
      message: `Too many wrong passwords or tokens from this address: try again in ${wait} s.`,
      retryAfterSeconds: wait,
    };
  }
  if (!row || !token.startsWith(PREFIX)) {
    const locked = await noteLoginFailure({ address });
    return {
      ok: false,
      status: 401,
      code: "unauthorized",
      message: "Wrong or revoked API token: make one on the setup page.",
      ...(locked > 0 && { retryAfterSeconds: locked }),
    };
  }
  await noteUse(row, now);
  const scope = row.scope;
  if (SESSION_ONLY.test(request.pathname)) {
    return {
      ok: false,
      status: 403,
      code: "session_required",
      message: "API tokens are managed from a logged-in browser, not with a token.",
    };
  }
  if (scope === "read" && !READ_METHODS.has(request.method)) {
    return {
      ok: false,
      status: 403,
      code: "insufficient_scope",
      message: "This token has the read scope: it may only GET. Make a write token.",
    };
  }
  return { ok: true };
}
