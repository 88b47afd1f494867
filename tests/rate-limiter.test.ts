// Unit level, on a real database of each driver: the sliding window never lets
// more than `limit` requests start within `windowMs` of the end of an earlier
// one, for any order of calls. The window lives in the database, so two
// limiters on one database (two instances) share it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DatabaseRateLimiter, Permit } from "@/lib/provider/rate-limiter";
import { DATABASES } from "./helpers/drivers";
import { useUnitDb } from "./helpers/unit-db";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe.each(DATABASES)("DatabaseRateLimiter [%s]", (driver) => {
  const db = useUnitDb(driver);
  let Limiter: typeof DatabaseRateLimiter;
  /** A limiter on a clean window (rows of earlier tests removed). */
  const fresh = async (limit: number, windowMs: number, now?: () => number) => {
    Limiter ??= (await import("@/lib/provider/rate-limiter")).DatabaseRateLimiter;
    const { client, schema } = db();
    await client.atomic([client.step(client.getDb().delete(schema.providerRequests)), client.step(client.getDb().delete(schema.settings))]);
    return new Limiter(limit, windowMs, now);
  };

  it("allows 20 then refuses until a window after the first answer", async () => {
    const c = clock();
    const limiter = await fresh(20, 10_000, c.now);
    const permits: (Permit | null)[] = [];
    for (let i = 0; i < 20; i++) permits.push(await limiter.tryAcquire());
    expect(permits.every(Boolean)).toBe(true);
    expect(await limiter.tryAcquire()).toBeNull();
    c.advance(100);
    await permits[0]!.release();
    c.advance(9_999);
    expect(await limiter.tryAcquire()).toBeNull();
    expect(await limiter.msUntilFree()).toBe(1);
    c.advance(1);
    expect(await limiter.tryAcquire()).not.toBeNull();
    expect(await limiter.tryAcquire()).toBeNull();
  });

  it("two limiters on one database (two instances) share the window", async () => {
    const c = clock();
    const a = await fresh(20, 10_000, c.now);
    const b = new Limiter(20, 10_000, c.now);
    for (let i = 0; i < 10; i++) {
      expect(await a.tryAcquire()).not.toBeNull();
      expect(await b.tryAcquire()).not.toBeNull();
    }
    expect(await a.tryAcquire()).toBeNull();
    expect(await b.tryAcquire()).toBeNull();
    expect(await a.available()).toBe(0);
  });

  it("a request in flight keeps its slot until it is clearly dead (60 s without an answer)", async () => {
    const c = clock();
    const limiter = await fresh(2, 10_000, c.now);
    await limiter.tryAcquire();
    await (await limiter.tryAcquire())!.release();
    c.advance(30_000);
    expect(await limiter.available()).toBe(1);
    // Its instance died: counted as answered at 60 s, so free a window later.
    c.advance(39_999);
    expect(await limiter.available()).toBe(1);
    c.advance(1);
    expect(await limiter.available()).toBe(2);
  });

  it("background callers leave the reserve to manual ones", async () => {
    const limiter = await fresh(20, 10_000, clock().now);
    for (let i = 0; i < 18; i++) expect(await limiter.tryAcquire(2)).not.toBeNull();
    expect(await limiter.tryAcquire(2)).toBeNull();
    expect(await limiter.tryAcquire()).not.toBeNull();
    expect(await limiter.tryAcquire()).not.toBeNull();
    expect(await limiter.tryAcquire()).toBeNull();
  });

  it("backs off after a rate-limit answer, longer each time, until a normal answer, for every instance", async () => {
    const c = clock();
    const limiter = await fresh(20, 10_000, c.now);
    const other = new Limiter(20, 10_000, c.now);
    expect(await limiter.backOff()).toBe(10_000);
    expect(await other.tryAcquire()).toBeNull();
    c.advance(10_000);
    expect(await limiter.available()).toBe(20);
    expect(await other.backOff()).toBe(20_000);
    c.advance(19_999);
    expect(await limiter.available()).toBe(0);
    c.advance(1);
    await limiter.succeeded();
    expect(await limiter.backOff()).toBe(10_000);
  });

  it("acquire waits for a slot within its budget, or answers null", async () => {
    const limiter = await fresh(2, 300);
    await (await limiter.tryAcquire())!.release();
    await (await limiter.tryAcquire())!.release();
    expect(await limiter.acquire({ maxWaitMs: 50 })).toBeNull();
    const started = Date.now();
    expect(await limiter.acquire({ maxWaitMs: 2_000 })).not.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("property: in any sequence of calls, at a grant fewer than `limit` permits are in flight or ended within the window", async () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 4_000 }) }),
      fc.record({ type: fc.constant("acquire" as const), reserve: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ type: fc.constant("release" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(op, { maxLength: 60 }),
        async (limit, windowMs, ops) => {
          const c = clock();
          const limiter = await fresh(limit, windowMs, c.now);
          const log: { permit: Permit; grantedAt: number; endedAt: number | null }[] = [];
          for (const o of ops) {
            if (o.type === "advance") c.advance(o.ms);
            else if (o.type === "release") {
              const open = log.filter((p) => p.endedAt === null);
              const entry = open[o.pick % Math.max(1, open.length)];
              if (entry) {
                await entry.permit.release();
                entry.endedAt = c.now();
              }
            } else {
              const now = c.now();
              // In flight counts until answered, or until 60 s (then as answered at 60 s).
              const endOf = (p: (typeof log)[number]) => p.endedAt ?? p.grantedAt + 60_000;
              const busy = log.filter((p) => endOf(p) + windowMs > now).length;
              const permit = await limiter.tryAcquire(o.reserve);
              if (permit) {
                expect(busy).toBeLessThan(limit - o.reserve);
                log.push({ permit, grantedAt: now, endedAt: null });
              } else {
                expect(busy).toBeGreaterThanOrEqual(limit - o.reserve);
              }
            }
          }
        },
      ),
      { numRuns: driver === "libsql" ? 25 : 100 },
    );
  });

  it("concurrent callers on the real clock never exceed the window", async () => {
    const limit = 5;
    const windowMs = 300;
    const limiter = await fresh(limit, windowMs);
    const spans: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const permit = await limiter.acquire({ maxWaitMs: 20_000 });
        expect(permit).not.toBeNull();
        const start = Date.now();
        await new Promise((r) => setTimeout(r, (i * 7) % 30));
        const end = Date.now();
        await permit!.release();
        spans.push({ start, end });
      }),
    );
    expect(spans).toHaveLength(25);
    // Whatever the arrival time within [start, end], no window of windowMs holds more than `limit`.
    for (const s of spans) {
      const overlapping = spans.filter((o) => o.start <= s.start && o.end + windowMs > s.start);
      expect(overlapping.length).toBeLessThanOrEqual(limit);
    }
  }, 30_000);
});
