// Failed logins per key, shared by every instance (lib/auth/login-limiter.ts
// decides the keys and the policy). Each failure is one upsert computed by the
// database, so failures arriving together on several instances all count.
import "server-only";
import { inArray, max, sql } from "drizzle-orm";
import { atomic, getDb, sqlStep, step, write } from "@/db/client";
import { loginFailures } from "@/db/schema";

export type LockPolicy = {
  /** Failures that cost nothing; the last of them starts the first lock. */
  free: number;
  firstLockMs: number;
  maxLockMs: number;
};

const lastActivity = sql`max(${loginFailures.windowStart}, coalesce(${loginFailures.lockedUntil}, 0))`;

/**
 * Counts one failure for each key; a key reaching `free` failures is locked
 * for firstLockMs, doubling with each further failure up to maxLockMs. A key
 * quiet for `quietMs` (since its window started or its lock ended) starts
 * over, and such keys are deleted meanwhile. Answers the longest lock now running, in ms.
 */
export async function recordLoginFailure(keys: { key: string; policy: LockPolicy }[], quietMs: number, now: number): Promise<number> {
  const db = getDb();
  const steps = keys.map(({ key, policy: p }) => {
    const stale = sql`${now} >= ${lastActivity} + ${quietMs}`;
    const failures = sql`(case when ${stale} then 1 else ${loginFailures.failures} + 1 end)`;
    // The shift is capped: SQLite's << gives 0 past 63 bits.
    const lockMs = sql`min(${p.maxLockMs}, ${p.firstLockMs} << min(${failures} - ${p.free}, 20))`;
    return step(
      db
        .insert(loginFailures)
        .values({ key, failures: 1, windowStart: new Date(now), lockedUntil: p.free > 1 ? null : new Date(now + p.firstLockMs) })
        .onConflictDoUpdate({
          target: loginFailures.key,
          set: {
            failures,
            windowStart: sql`case when ${stale} then ${now} else ${loginFailures.windowStart} end`,
            lockedUntil: sql`case when ${failures} >= ${p.free} then ${now} + ${lockMs} else null end`,
          },
        }),
    );
  });
  await atomic([...steps, sqlStep(sql`delete from ${loginFailures} where ${lastActivity} + ${quietMs} <= ${now}`)]);
  const names = keys.map((k) => k.key);
  return lockedFor(names, now);
}

/** How long (ms) the longest lock among `keys` still runs; 0 when none does. */
export async function lockedFor(keys: string[], now: number): Promise<number> {
  const row = await getDb()
    .select({ until: max(loginFailures.lockedUntil) })
    .from(loginFailures)
    .where(inArray(loginFailures.key, keys))
    .get();
  return Math.max(0, (row?.until?.getTime() ?? 0) - now);
}

export async function clearLoginFailures(keys: string[]): Promise<void> {
  await write(getDb().delete(loginFailures).where(inArray(loginFailures.key, keys)));
}
