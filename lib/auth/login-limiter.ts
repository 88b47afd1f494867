// A light brake on password guessing: a few failed logins per address per
// minute, and a global ceiling so rotating addresses gains little.
import "server-only";

const WINDOW_MS = 60_000;
const PER_ADDRESS = 10;
const GLOBAL = 100;

type Window = { start: number; failures: number };
const byAddress = new Map<string, Window>();
let global: Window = { start: 0, failures: 0 };

function current(w: Window | undefined, now: number): Window {
  return w && now - w.start < WINDOW_MS ? w : { start: now, failures: 0 };
}

/** Seconds to wait before trying again, or 0 when a try is allowed. */
export function loginRetryAfter(address: string, now = Date.now()): number {
  const own = current(byAddress.get(address), now);
  global = current(global, now);
  const blocked = [own, global].filter((w, i) => w.failures >= (i === 0 ? PER_ADDRESS : GLOBAL));
  if (blocked.length === 0) return 0;
  return Math.ceil(Math.max(...blocked.map((w) => w.start + WINDOW_MS - now)) / 1000);
}

export function noteLoginFailure(address: string, now = Date.now()): void {
  const own = current(byAddress.get(address), now);
  own.failures += 1;
  byAddress.set(address, own);
  global = current(global, now);
  global.failures += 1;
  // Forget stale windows so the map cannot grow without bound.
  if (byAddress.size > 10_000) {
    for (const [key, w] of byAddress) if (now - w.start >= WINDOW_MS) byAddress.delete(key);
  }
}

export function noteLoginSuccess(address: string): void {
  byAddress.delete(address);
}
