// Login sessions and known devices when DASHBOARD_PASSWORD is set. Both
// cookies carry a random id signed (HMAC-SHA256) with this install's own
// secret, kept in the settings table: another install never accepts them,
// whatever its password. A session also needs its row in the sessions table,
// so logout ends it at once; the row holds the id's SHA-256 only, and a tag of
// the password it was opened with, so a new password ends every session.
// A device cookie only tells the login throttle "this browser logged in here before".
import "server-only";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { countSessions, deleteAllSessions, deleteSession, findSession, insertSession, touchSession } from "@/db/queries/sessions";
import { setSettingOnce } from "@/db/queries/settings";
import { safeEqual } from "@/lib/auth/safe-equal";
import { processSingleton } from "@/lib/core/registry";

export const SESSION_COOKIE = "suno_session";
export const DEVICE_COOKIE = "suno_device";
const SESSION_MAX_AGE_SECONDS = 30 * 86_400;
const DEVICE_MAX_AGE_SECONDS = 400 * 86_400; // the longest browsers keep a cookie
/** lastSeenAt is a hint for people, not a clock: written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

type Purpose = "session" | "device" | "password";

const secret = processSingleton("auth-secret", () => ({ value: undefined as Promise<Buffer> | undefined }));

/** The install's signing secret, made on first use; two instances making it at once agree on the stored one. */
function authSecret(): Promise<Buffer> {
  secret.value ??= setSettingOnce("auth_secret", randomBytes(32).toString("base64url"))
    .then((stored) => Buffer.from(stored, "base64url"))
    .catch((error: unknown) => {
      secret.value = undefined; // a passing database error must not stick
      throw error;
    });
  return secret.value;
}

const mac = (key: Buffer, purpose: Purpose, data: string) => createHmac("sha256", key).update(`${purpose}\0${data}`).digest("base64url");
const hashId = (id: string) => createHash("sha256").update(id).digest("hex");

/** A fresh "<id>.<signature>" for `purpose`, with its id's hash. */
async function signedId(purpose: Purpose): Promise<{ value: string; idHash: string }> {
  const id = randomBytes(32).toString("base64url");
  return { value: `${id}.${mac(await authSecret(), purpose, id)}`, idHash: hashId(id) };
}

/** The id hash of a well-signed cookie value, or null; no database read beyond the (cached) secret. */
async function verifiedIdHash(purpose: Purpose, value: string | undefined): Promise<string | null> {
  const match = value ? /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
  if (!match) return null;
  const [, id, signature] = match as unknown as [string, string, string];
  return safeEqual(signature, mac(await authSecret(), purpose, id)) ? hashId(id) : null;
}

const passwordTag = async (password: string) => mac(await authSecret(), "password", password);

/** Opens a session; answers the cookie value. */
export async function startSession(
  password: string,
  client: { userAgent: string | null; remoteAddress: string | null },
  now = new Date(),
): Promise<string> {
  const { value, idHash } = await signedId("session");
  await insertSession({
    idHash,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    passwordTag: await passwordTag(password),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    remoteAddress: client.remoteAddress?.slice(0, 100) ?? null,
  });
  return value;
}

/** A well-signed cookie whose row is live and was opened with this password. */
export async function isValidSession(password: string, value: string | undefined, now = new Date()): Promise<boolean> {
  const idHash = await verifiedIdHash("session", value);
  if (!idHash) return false;
  const row = await findSession(idHash, await passwordTag(password), now);
  if (!row) return false;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(idHash, now);
  return true;
}

/** Ends the session of this cookie, if it is one. */
export async function endSession(value: string | undefined): Promise<void> {
  const idHash = await verifiedIdHash("session", value);
  if (idHash) await deleteSession(idHash);
}

export const endEverySession = deleteAllSessions;

export async function activeSessionCount(password: string): Promise<number> {
  return countSessions(await passwordTag(password), new Date());
}

/** A new device cookie value. */
export async function newDevice(): Promise<string> {
  return (await signedId("device")).value;
}

/** The throttle's key for a browser presenting a genuine device cookie, or null. */
export function knownDevice(value: string | undefined): Promise<string | null> {
  return verifiedIdHash("device", value);
}

/** Whether the browser reached us over https, directly or through a TLS-terminating proxy. */
function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return forwarded ? forwarded === "https" : new URL(request.url).protocol === "https:";
}

function cookie(name: string, value: string, request: Request, maxAge: number) {
  return { name, value, httpOnly: true, sameSite: "lax" as const, secure: isHttps(request), path: "/", maxAge };
}

export const sessionCookie = (value: string, request: Request, maxAge = SESSION_MAX_AGE_SECONDS) =>
  cookie(SESSION_COOKIE, value, request, maxAge);

export const deviceCookie = (value: string, request: Request) => cookie(DEVICE_COOKIE, value, request, DEVICE_MAX_AGE_SECONDS);
