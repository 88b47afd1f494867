// Bulk replay: every stored delivery with a verdict, received since a time,
// processed again (e.g. the rejected ones, after the cause of their rejection
// was fixed). It loops until done over the deliveries that existed when it
// began (newer ones are not its business, so it always ends), in batches with
// a short pause between them so callbacks arriving meanwhile are not held up.
import "server-only";
import { lastDeliveryId, replayCandidates } from "@/db/queries/deliveries";
import type { DeliveryVerdict } from "@/lib/core/enums";
import { replayDelivery } from "@/lib/callbacks/ingest";
import { AppError } from "@/lib/core/errors";

const BATCH = 100;
const PAUSE_MS = 10;

export type BulkReplay = {
  /** Deliveries processed again. */
  replayed: number;
  /** Of those, how many now count (accepted, or a duplicate of what the task already had). */
  accepted: number;
  /** Of those, how many are still not a valid callback for their task. */
  rejected: number;
  /** Deliveries left alone: refused for their signature (never replayed). */
  skipped: number;
};

export async function replayMatching(filter: { verdict: DeliveryVerdict; since: Date }): Promise<BulkReplay> {
  const result: BulkReplay = { replayed: 0, accepted: 0, rejected: 0, skipped: 0 };
  const upToId = await lastDeliveryId();
  let afterId = 0;
  for (;;) {
    const ids = await replayCandidates({ ...filter, afterId, upToId, limit: BATCH });
    for (const id of ids) {
      try {
        const outcome = await replayDelivery(id);
        result.replayed++;
        if (outcome.verdict === "rejected") result.rejected++;
        else result.accepted++;
      } catch (error) {
        // 409: refused for its signature (or pruned meanwhile); 404: deleted meanwhile (its task was).
        if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 404)) throw error;
        result.skipped++;
      }
    }
    if (ids.length < BATCH) return result;
    afterId = ids.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
}
