// Background work that follows a stored result. Downloads and polling hook in here.
import "server-only";
import type { RecordedDelivery } from "@/db/queries/results";

/** Called after a result was committed; must never delay or fail the caller. */
export function afterResultApplied(recorded: Pick<RecordedDelivery, "newAssets">): void {
  if (recorded.newAssets === 0) return;
}
