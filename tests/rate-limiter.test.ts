// Unit level: the sliding window never lets more than `limit` requests start
// within `windowMs` of the end of an earlier one, for any order of calls.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter, type Permit } from "@/lib/suno/rate-limiter";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("SlidingWindowLimiter", () => {
  it("allows 20 then refuses until a window after the first answer", () => {
    const c = clock();
    const limiter = new SlidingWindowLimiter(20, 10_000, c.now);
    const permits = Array.from({ length: 20 }, () => limiter.tryAcquire());
    expect(permits.every(Boolean)).toBe(true);
    expect(limiter.tryAcquire()).toBeNull();
    c.advance(100);
    permits[0]!.release();
    c.advance(9_999);
    expect(limiter.tryAcquire()).toBeNull();
    expect(limiter.msUntilFree()).toBe(1);
    c.advance(1);
    expect(limiter.tryAcquire()).not.toBeNull();
    expect(limiter.tryAcquire()).toBeNull();
  });

  it("a request still in flight keeps its slot however long it takes", () => {
    const c = clock();
    const limiter = new SlidingWindowLimiter(2, 10_000, c.now);
    limiter.tryAcquire();
    limiter.tryAcquire()!.release();
    c.advance(60_000);
    expect(limiter.available()).toBe(1);
  });

  it("background callers leave the reserve to manual ones", () => {
    const limiter = new SlidingWindowLimiter(20, 10_000, clock().now);
    for (let i = 0; i < 18; i++) expect(limiter.tryAcquire(2)).not.toBeNull();
    expect(limiter.tryAcquire(2)).toBeNull();
    expect(limiter.tryAcquire()).not.toBeNull();
    expect(limiter.tryAcquire()).not.toBeNull();
    expect(limiter.tryAcquire()).toBeNull();
  });

  it("backs off after a rate-limit answer, longer each time, until a normal answer", () => {
    const c = clock();
    const limiter = new SlidingWindowLimiter(20, 10_000, c.now);
    expect(limiter.backOff()).toBe(10_000);
    expect(limiter.tryAcquire()).toBeNull();
    c.advance(10_000);
    expect(limiter.available()).toBe(20);
    expect(limiter.backOff()).toBe(20_000);
    c.advance(19_999);
    expect(limiter.available()).toBe(0);
    c.advance(1);
    limiter.succeeded();
    expect(limiter.backOff()).toBe(10_000);
  });

  it("acquire waits for a slot within its budget, or answers null", async () => {
    const limiter = new SlidingWindowLimiter(2, 300);
    limiter.tryAcquire()!.release();
    limiter.tryAcquire()!.release();
    expect(await limiter.acquire({ maxWaitMs: 50 })).toBeNull();
    const started = Date.now();
    expect(await limiter.acquire({ maxWaitMs: 2_000 })).not.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("property: in any sequence of calls, at a grant fewer than `limit` permits are in flight or ended within the window", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 4_000 }) }),
      fc.record({ type: fc.constant("acquire" as const), reserve: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ type: fc.constant("release" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(op, { maxLength: 300 }),
        (limit, windowMs, ops) => {
          const c = clock();
          const limiter = new SlidingWindowLimiter(limit, windowMs, c.now);
          const log: { permit: Permit; grantedAt: number; endedAt: number | null }[] = [];
          for (const o of ops) {
            if (o.type === "advance") c.advance(o.ms);
            else if (o.type === "release") {
              const open = log.filter((p) => p.endedAt === null);
              const entry = open[o.pick % Math.max(1, open.length)];
              if (entry) {
                entry.permit.release();
                entry.endedAt = c.now();
              }
            } else {
              const now = c.now();
              const busy = log.filter((p) => p.endedAt === null || p.endedAt + windowMs > now).length;
              const permit = limiter.tryAcquire(o.reserve);
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
      { numRuns: 300 },
    );
  });

  it("concurrent callers on the real clock never exceed the window", async () => {
    const limit = 5;
    const windowMs = 200;
    const limiter = new SlidingWindowLimiter(limit, windowMs);
    const spans: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const permit = await limiter.acquire({ maxWaitMs: 10_000 });
        expect(permit).not.toBeNull();
        const start = Date.now();
        await new Promise((r) => setTimeout(r, (i * 7) % 30));
        const end = Date.now();
        permit!.release();
        spans.push({ start, end });
      }),
    );
    expect(spans).toHaveLength(25);
    // Whatever the arrival time within [start, end], no window of windowMs holds more than `limit`.
    for (const s of spans) {
      const overlapping = spans.filter((o) => o.start <= s.start && o.end + windowMs > s.start);
      expect(overlapping.length).toBeLessThanOrEqual(limit);
    }
  });
});
