// Callbacks refused for their token (401) are counted in memory and written
// as one write carrying the count and the latest one: a flood of bad tokens
// must not become a flood of database writes. With a worker (a long-lived
// process) a timer writes at most once per FLUSH_MS; without one (WORKER=0,
// serverless) the instance may be frozen once the answer is sent, so the
// write runs right after the answer (after()), taking along whatever else
// came in while the previous write was on its way.
import "server-only";
import { getRefusedCallbacks, recordUnauthorized } from "@/db/queries/settings";
import { env } from "@/lib/server/env";
import { processSingleton } from "@/lib/server/registry";
import { afterAnswer } from "@/lib/work/lanes";

const FLUSH_MS = 3_000;

type Refusal = { at: Date; path: string; remoteAddress: string | null };

const pending = processSingleton("refused-callbacks", () => ({
  count: 0,
  last: undefined as Refusal | undefined,
  timer: undefined as NodeJS.Timeout | undefined,
  /** The write on its way: the next one waits for it, so writes never overlap. */
  writing: Promise.resolve(),
}));

export function noteRefusedCallback(refusal: Refusal): void {
  pending.count += 1;
  pending.last = refusal;
  if (env().WORKER) pending.timer ??= setTimeout(() => void flushRefusedCallbacks(), FLUSH_MS);
  else afterAnswer(flushRefusedCallbacks);
}

/** Writes what was counted since the last write (also at shutdown); a failed write is kept for the next one. */
export function flushRefusedCallbacks(): Promise<void> {
  pending.writing = pending.writing.then(writePending);
  return pending.writing;
}

async function writePending(): Promise<void> {
  clearTimeout(pending.timer);
  pending.timer = undefined;
  const { count, last } = pending;
  if (count === 0 || !last) return;
  pending.count = 0;
  pending.last = undefined;
  try {
    await recordUnauthorized(count, last);
  } catch (error) {
    console.error("[callbacks] could not record refused callbacks:", error);
    pending.count += count;
    pending.last ??= last;
    pending.timer ??= setTimeout(() => void flushRefusedCallbacks(), FLUSH_MS);
  }
}

/** Stored counts plus this process's not yet written, for the setup page. */
export async function refusedCallbacks(): Promise<{ count: number; lastAt: string | null }> {
  const stored = await getRefusedCallbacks();
  return { count: stored.count + pending.count, lastAt: pending.last?.at.toISOString() ?? stored.lastAt };
}
