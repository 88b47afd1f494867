// Running claimed queue work (downloads, notifications) within process-wide
// slots: each job starts without being waited for; outside a round a freed
// slot claims the next due job at once, and a round (the cron tick, after())
// tracks what it started so it can wait for it until its deadline.
import "server-only";

export type Round<O extends string> = {
  running: Set<Promise<void>>;
  tally: Record<O, number>;
  started: number;
  /**
   * Set by a claim that found fewer due jobs than it had room for: the round
   * claims no more (asking again would be a request that finds nothing; work
   * queued later is woken by whoever queues it, or taken by the next round).
   */
  exhausted: boolean;
};

export function newRound<O extends string>(outcomes: readonly O[]): Round<O> {
  return { running: new Set(), tally: Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<O, number>, started: 0, exhausted: false };
}

type Jobs<C, O extends string> = {
  /** Runs one claimed job to its outcome. */
  run: (claim: C) => Promise<O>;
  /** Frees the job's slot, whatever happened. */
  release: (claim: C) => void;
  /** Claims and starts more, outside a round. */
  next: () => Promise<unknown>;
  /** For the log: `[name] <describe(claim)>: error`. */
  name: string;
  describe: (claim: C) => string;
};

/** Starts each claimed job; answers how many. */
export function startJobs<C, O extends string>(claims: C[], jobs: Jobs<C, O>, round?: Round<O>): number {
  for (const claim of claims) {
    const running: Promise<void> = jobs
      .run(claim)
      .then((outcome) => void (round && round.tally[outcome]++))
      .catch((error) => console.error(`[${jobs.name}] ${jobs.describe(claim)}:`, error))
      .finally(() => {
        jobs.release(claim);
        round?.running.delete(running);
        if (!round) void jobs.next().catch((error) => console.error(`[${jobs.name}] claim failed:`, error));
      });
    round?.running.add(running);
  }
  if (round) round.started += claims.length;
  return claims.length;
}

/**
 * Claims and runs due jobs until `deadline`, a freed slot taking the next one;
 * then waits at most `graceMs` more for jobs still running (they go on while
 * the process lives; if it dies, their leases run out and a later round takes them).
 */
export async function drainRound<O extends string>(
  round: Round<O>,
  claimMore: (round: Round<O>) => Promise<unknown>,
  deadline: number,
  graceMs: number,
): Promise<void> {
  while (Date.now() < deadline) {
    if (!round.exhausted) await claimMore(round);
    if (round.running.size === 0) break;
    await Promise.race([...round.running, sleep(deadline - Date.now())]);
  }
  if (round.running.size > 0) await Promise.race([Promise.all(round.running), sleep(deadline + graceMs - Date.now())]);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
