// Callbacks refused for their token (401) are counted in memory and written
// at most once per FLUSH_MS, as one write carrying the count and the latest
// one: a flood of bad tokens must not become a flood of database writes.
// Without a worker (WORKER=0, serverless) the instance may be frozen once the
// answer is sent, before the timer fires: there each refusal's after() waits
// for the write that carries it.
import "server-only";
import { getRefusedCallbacks, recordUnauthorized } from "@/db/queries/settings";
import { env } from "@/lib/core/env";
import { processSingleton } from "@/lib/core/registry";
import { afterAnswer } from "@/lib/work/lanes";

const FLUSH_MS = 3_000;

type Refusal = { at: Date; path: string; remoteAddress: string | null };
/** The next write: its timer, and a promise settled once it has run. */
type Due = { timer: NodeJS.Timeout; written: Promise<void>; settle: () => void };

const pending = processSingleton("refused-callbacks", () => ({
  count: 0,
  last: undefined as Refusal | undefined,
  due: undefined as Due | undefined,
}));

export function noteRefusedCallback(refusal: Refusal): void {
  pending.count += 1;
  pending.last = refusal;
  const written = scheduleWrite();
  if (!env().WORKER) afterAnswer("refused-callbacks", () => written, FLUSH_MS);
}

/** The write due FLUSH_MS after the first refusal it carries. */
function scheduleWrite(): Promise<void> {
  if (!pending.due) {
    let settle!: () => void;
    const written = new Promise<void>((resolve) => (settle = resolve));
    pending.due = { timer: setTimeout(() => void flushRefusedCallbacks(), FLUSH_MS), written, settle };
  }
  return pending.due.written;
}

/** Writes what was counted since the last write (also at shutdown); a failed write is kept for the next one. */
export async function flushRefusedCallbacks(): Promise<void> {
  const due = pending.due;
  pending.due = undefined;
  clearTimeout(due?.timer);
  const { count, last } = pending;
  try {
    if (count === 0 || !last) return;
    pending.count = 0;
    pending.last = undefined;
    try {
      await recordUnauthorized(count, last);
    } catch (error) {
      console.error("[callbacks] could not record refused callbacks:", error);
      pending.count += count;
      pending.last ??= last;
      void scheduleWrite();
    }
  } finally {
    due?.settle();
  }
}

/** Stored counts plus this process's not yet written, for the setup page. */
export async function refusedCallbacks(): Promise<{ count: number; lastAt: string | null }> {
  const stored = await getRefusedCallbacks();
  return { count: stored.count + pending.count, lastAt: pending.last?.at.toISOString() ?? stored.lastAt };
}
