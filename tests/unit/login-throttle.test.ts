// The login throttle's policy on the real data layer, in simulated time:
// a few free failures per key, then a lock that doubles up to 15 minutes,
// forgiven after a quiet while; a known device is limited by its own key only.
import { describe, expect, it } from "vitest";
import { selectedDatabases } from "../helpers/drivers";
import { useUnitDb } from "../helpers/unit-db";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe.each(selectedDatabases())("login throttle [%s]", (driver) => {
  const db = useUnitDb(driver);
  const limiter = async () => {
    db(); // opened first
    return import("@/lib/auth/login-limiter");
  };

  it("five free failures per address, then a lock that doubles up to 15 minutes", async () => {
    const { loginRetryAfter, noteLoginFailure } = await limiter();
    const client = { address: "192.0.2.1" };
    let now = Date.parse("2030-01-01T00:00:00Z");
    for (let i = 1; i <= 4; i++) expect(await noteLoginFailure(client, now), `failure ${i}`).toBe(0);
    expect(await loginRetryAfter(client, now)).toBe(0);

    const locks: number[] = [];
    for (let i = 0; i < 8; i++) {
      const lock = await noteLoginFailure(client, now);
      expect(await loginRetryAfter(client, now)).toBe(lock);
      expect(await loginRetryAfter(client, now + lock * SECOND - 1)).toBe(1);
      expect(await loginRetryAfter(client, now + lock * SECOND)).toBe(0);
      locks.push(lock);
      now += lock * SECOND;
    }
    expect(locks).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);

    // Fifteen quiet minutes after the last lock ended, the count starts over.
    now += 15 * MINUTE;
    expect(await noteLoginFailure(client, now)).toBe(0);
  });

  it("many addresses together lock out untrusted clients, never a known device", async () => {
    const { loginRetryAfter, noteLoginFailure, noteLoginSuccess } = await limiter();
    const now = Date.parse("2030-02-01T00:00:00Z");
    for (let i = 0; i < 20; i++) await noteLoginFailure({ address: `198.51.100.${i}` }, now);
    expect(await loginRetryAfter({ address: "203.0.113.7" }, now)).toBeGreaterThan(0);
    expect(await loginRetryAfter({ device: "known-device" }, now)).toBe(0);

    // A success clears the client's own count, not the one of everyone.
    await noteLoginSuccess({ address: "198.51.100.1" });
    expect(await loginRetryAfter({ address: "198.51.100.1" }, now)).toBeGreaterThan(0);
  });

  it("a device's own failures lock that device only, and its success clears them", async () => {
    const { loginRetryAfter, noteLoginFailure, noteLoginSuccess } = await limiter();
    const now = Date.parse("2030-03-01T00:00:00Z");
    for (let i = 0; i < 5; i++) await noteLoginFailure({ device: "phone" }, now);
    expect(await loginRetryAfter({ device: "phone" }, now)).toBe(30);
    expect(await loginRetryAfter({ device: "laptop" }, now)).toBe(0);
    expect(await loginRetryAfter({ address: "192.0.2.200" }, now)).toBe(0);
    await noteLoginSuccess({ device: "phone" });
    expect(await loginRetryAfter({ device: "phone" }, now)).toBe(0);
  });
});
