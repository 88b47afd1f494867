// The one limiter in front of every provider call: never more than `limit`
// requests in any `windowMs`, counted as the provider counts them (arrivals),
// across every instance on this database. The window lives in the database
// (db/queries/provider-requests.ts): a row is taken when a request is sent
// and, once the answer is in, dated at the answer. The request arrived
// somewhere in between, so freeing the slot a full window after the answer can
// never let the provider see one too many, whatever the network's jitter.
// Taking a slot is one conditional INSERT, atomic on both drivers.
import "server-only";
import {
  endProviderRequest,
  providerBlock,
  providerWindow,
  setProviderBlock,
  takeProviderRequest,
  type WindowConfig,
} from "@/db/queries/provider-requests";
import { processSingleton } from "@/lib/core/registry";

export type Permit = { release(): Promise<void> };

export type AcquireOptions = {
  /** How long to wait for a free slot; 0 answers at once. */
  maxWaitMs?: number;
  /** Slots to leave free for others: background work keeps some for manual actions. */
  reserve?: number;
};

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 120_000;
const WAIT_STEP_MS = 100;
/**
 * A request with no recorded answer this long after it was sent counts as
 * answered then: its instance died mid-request. Well above the client's 15 s
 * time limit, so a live request is never cut short.
 */
const STALE_MS = 60_000;

export class DatabaseRateLimiter {
  private readonly config: WindowConfig;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.config = { limit, windowMs, staleMs: STALE_MS };
  }

  /** Slots free right now after keeping `reserve` back. */
  async available(reserve = 0): Promise<number> {
    const now = this.now();
    const [block, window] = await Promise.all([providerBlock(), providerWindow(now, this.config)]);
    if (now < block.blockedUntil) return 0;
    return Math.max(0, this.limit - reserve - window.length);
  }

  /** Takes a slot now or answers null; never waits. */
  async tryAcquire(reserve = 0): Promise<Permit | null> {
    const id = await takeProviderRequest(this.now(), reserve, this.config);
    if (id === null) return null;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await endProviderRequest(id, this.now(), this.config);
      },
    };
  }

  /** Takes a slot, waiting up to `maxWaitMs` for one; null when none came free in time. */
  async acquire({ maxWaitMs = 0, reserve = 0 }: AcquireOptions = {}): Promise<Permit | null> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const permit = await this.tryAcquire(reserve);
      if (permit) return permit;
      const wait = await this.msUntilFree(reserve);
      if (this.now() + wait > deadline) return null;
      // In-flight slots have no known end, and other instances take slots too: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, WAIT_STEP_MS))));
    }
  }

  /** A best guess of how long until a slot frees (at least one wait step while all are in flight). */
  async msUntilFree(reserve = 0): Promise<number> {
    const now = this.now();
    const [block, window] = await Promise.all([providerBlock(), providerWindow(now, this.config)]);
    if (now < block.blockedUntil) return block.blockedUntil - now;
    const excess = window.length - (this.limit - reserve);
    if (excess < 0) return 0;
    const ends = window.filter((e): e is number => e !== null).sort((a, b) => a - b);
    const end = ends[excess];
    return end === undefined ? WAIT_STEP_MS : end + this.windowMs - now;
  }

  /** The provider said "too many requests": nobody calls it for a while, longer each time in a row. */
  async backOff(): Promise<number> {
    const { backoffMs } = await providerBlock();
    const next = Math.min(BACKOFF_MAX_MS, backoffMs ? backoffMs * 2 : BACKOFF_START_MS);
    await setProviderBlock({ backoffMs: next, blockedUntil: this.now() + next });
    return next;
  }

  /** An answer that was not a rate limit: the next back-off starts short again. */
  async succeeded(): Promise<void> {
    await setProviderBlock({ backoffMs: 0 });
  }
}

/** The provider's documented limit: 20 requests per 10 seconds per key. */
const PROVIDER_LIMIT = 20;
const PROVIDER_WINDOW_MS = 10_000;

/** The limiter every provider call goes through (one object per process; the state is in the database). */
export function providerLimiter(): DatabaseRateLimiter {
  return processSingleton("provider-limiter", () => new DatabaseRateLimiter(PROVIDER_LIMIT, PROVIDER_WINDOW_MS));
}
