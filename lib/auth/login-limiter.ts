// Slows password guessing without letting a stranger lock the owner out
// (OWASP's "device cookies"). A browser that logged in here before (a genuine
// device cookie) is limited by its own failures only. Everyone else is
// limited per client address (the socket's, or with TRUST_PROXY=1 the one our
// proxy appended) and, all together, by one shared key, so rotating addresses
// gains little. Failures live in the database: every instance sees them.
import "server-only";
import { clearLoginFailures, lockedFor, recordLoginFailure, type LockPolicy } from "@/db/queries/login-failures";

/** Who is trying: a known device (its key from the device cookie), or an untrusted client at an address. */
export type LoginClient = { device: string } | { address: string };

const MINUTE = 60_000;
const QUIET_MS = 15 * MINUTE;
const OWN: LockPolicy = { free: 5, firstLockMs: 30_000, maxLockMs: 15 * MINUTE };
// Locking out every untrusted client is the price of an attack from many
// addresses; the owner's known browsers stay unaffected.
const UNTRUSTED: LockPolicy = { free: 20, firstLockMs: 30_000, maxLockMs: 15 * MINUTE };
const UNTRUSTED_KEY = "untrusted";

function keysOf(client: LoginClient): { key: string; policy: LockPolicy }[] {
  if ("device" in client) return [{ key: `device:${client.device}`, policy: OWN }];
  return [
    { key: addressKey(client.address), policy: OWN },
    { key: UNTRUSTED_KEY, policy: UNTRUSTED },
  ];
}

const names = (client: LoginClient) => keysOf(client).map((k) => k.key);
const seconds = (ms: number) => Math.ceil(ms / 1000);

/** Seconds to wait before the password may be tried, or 0. */
export async function loginRetryAfter(client: LoginClient, now = Date.now()): Promise<number> {
  return seconds(await lockedFor(names(client), now));
}

/**
 * The key of one client address. Alone, it is also the key whose lock holds
 * back API tokens from that address (lib/auth/api-tokens.ts): the shared key of
 * all untrusted clients would let wrong tokens from anywhere lock out every script.
 */
export const addressKey = (address: string) => `address:${address}`;

/** Seconds left of a lock ending at `until`, or 0. */
export const secondsLeft = (until: Date | null, now = Date.now()) => seconds(Math.max(0, (until?.getTime() ?? 0) - now));

/** Counts a wrong password (or a wrong API token); answers the seconds to wait now (0 while failures are still free). */
export async function noteLoginFailure(client: LoginClient, now = Date.now()): Promise<number> {
  return seconds(await recordLoginFailure(keysOf(client), QUIET_MS, now));
}

/** The client's own count starts over; the shared one of untrusted clients does not. */
export async function noteLoginSuccess(client: LoginClient): Promise<void> {
  await clearLoginFailures(names(client).filter((key) => key !== UNTRUSTED_KEY));
}
