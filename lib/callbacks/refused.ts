// Callbacks refused for their token (401) are counted in memory and written
// at most once per FLUSH_MS, as one write carrying the count and the latest
// one: a flood of bad tokens must not become a flood of database writes.
import "server-only";
import { getRefusedCallbacks, recordUnauthorized } from "@/db/queries/settings";
import { processSingleton } from "@/lib/core/registry";

const FLUSH_MS = 3_000;

type Refusal = { at: Date; path: string; remoteAddress: string | null };

const pending = processSingleton("refused-callbacks", () => ({
  count: 0,
  last: undefined as Refusal | undefined,
  timer: undefined as NodeJS.Timeout | undefined,
}));

export function noteRefusedCallback(refusal: Refusal): void {
  pending.count += 1;
  pending.last = refusal;
  pending.timer ??= setTimeout(() => void flushRefusedCallbacks(), FLUSH_MS);
}

/** Writes what was counted since the last write (also at shutdown); a failed write is kept for the next one. */
export async function flushRefusedCallbacks(): Promise<void> {
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
