// The one limiter in front of every provider call: never more than `limit`
// requests in any `windowMs`, counted as the provider counts them (arrivals).
// A slot is taken when a request is sent and, once the answer is in, dated at
// the answer: the request arrived somewhere in between, so freeing the slot a
// full window after the answer can never let the provider see one too many,
// whatever the network's jitter. While a request is in flight its slot stays taken.
// JavaScript runs one callback at a time, so the check-and-take in tryAcquire
// is atomic for concurrent callers.

export type Permit = { release(): void };

export type AcquireOptions = {
  /** How long to wait for a free slot; 0 answers at once. */
  maxWaitMs?: number;
  /** Slots to leave free for others: background work keeps some for manual actions. */
  reserve?: number;
};

type Slot = { endedAt: number | null };

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 120_000;
const WAIT_STEP_MS = 100;

export class SlidingWindowLimiter {
  private slots: Slot[] = [];
  private blockedUntil = 0;
  private backoffMs = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Slots free right now after keeping `reserve` back. */
  available(reserve = 0): number {
    const now = this.now();
    if (now < this.blockedUntil) return 0;
    this.prune(now);
    return Math.max(0, this.limit - reserve - this.slots.length);
  }

  /** Takes a slot now or answers null; never blocks. */
  tryAcquire(reserve = 0): Permit | null {
    if (this.available(reserve) < 1) return null;
    const slot: Slot = { endedAt: null };
    this.slots.push(slot);
    return {
      release: () => {
        slot.endedAt ??= this.now();
      },
    };
  }

  /** Takes a slot, waiting up to `maxWaitMs` for one; null when none came free in time. */
  async acquire({ maxWaitMs = 0, reserve = 0 }: AcquireOptions = {}): Promise<Permit | null> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const permit = this.tryAcquire(reserve);
      if (permit) return permit;
      const wait = this.msUntilFree(reserve);
      if (this.now() + wait > deadline) return null;
      // In-flight slots have no known end: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, WAIT_STEP_MS))));
    }
  }

  /** A best guess of how long until a slot frees (at least one wait step while all are in flight). */
  msUntilFree(reserve = 0): number {
    const now = this.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.prune(now);
    const excess = this.slots.length - (this.limit - reserve);
    if (excess < 0) return 0;
    const ends = this.slots
      .map((s) => s.endedAt)
      .filter((e): e is number => e !== null)
      .sort((a, b) => a - b);
    const end = ends[excess];
    return end === undefined ? WAIT_STEP_MS : end + this.windowMs - now;
  }

  /** The provider said "too many requests": nobody calls it for a while, longer each time in a row. */
  backOff(): number {
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs ? this.backoffMs * 2 : BACKOFF_START_MS);
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + this.backoffMs);
    return this.backoffMs;
  }

  /** An answer that was not a rate limit: the next back-off starts short again. */
  succeeded(): void {
    this.backoffMs = 0;
  }

  private prune(now: number): void {
    this.slots = this.slots.filter((s) => s.endedAt === null || s.endedAt + this.windowMs > now);
  }
}

/** The provider's documented limit: 20 requests per 10 seconds per key. */
const PROVIDER_LIMIT = 20;
const PROVIDER_WINDOW_MS = 10_000;

const holder = globalThis as unknown as { sunoProviderLimiter?: SlidingWindowLimiter };

/** The process-wide limiter (kept on globalThis: Next bundles routes and instrumentation separately). */
export function providerLimiter(): SlidingWindowLimiter {
  holder.sunoProviderLimiter ??= new SlidingWindowLimiter(PROVIDER_LIMIT, PROVIDER_WINDOW_MS);
  return holder.sunoProviderLimiter;
}
