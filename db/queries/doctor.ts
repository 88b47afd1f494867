// What the setup doctor reads from the database: the latest deliveries, files
// at risk of expiry, and the worker's heartbeat. Each read is a few index lookups.
import "server-only";
import { count, desc, eq, min } from "drizzle-orm";
import { getDb, write } from "@/db/client";
import { assets, deliveries, settings, tasks } from "@/db/schema";
import { atRisk } from "./assets";

const HEARTBEAT = "worker_heartbeat";

export type Heartbeat = { at: Date; by: "worker" | "cron" };

export async function readHeartbeat(): Promise<Heartbeat | null> {
  const row = await getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, HEARTBEAT)).get();
  if (!row) return null;
  const parsed = JSON.parse(row.value) as { at?: string; by?: string };
  if (!parsed.at || (parsed.by !== "worker" && parsed.by !== "cron")) return null;
  return { at: new Date(parsed.at), by: parsed.by };
}

/** One upsert of a single settings row. */
export async function writeHeartbeat(beat: Heartbeat): Promise<void> {
  const value = JSON.stringify({ at: beat.at.toISOString(), by: beat.by });
  await write(getDb().insert(settings).values({ key: HEARTBEAT, value }).onConflictDoUpdate({ target: settings.key, set: { value } }));
}

/** The newest delivery of these verdicts (deliveries_verdict_id_idx: one step back from the end per verdict). */
async function latest(verdicts: ("accepted" | "duplicate" | "rejected")[]) {
  const rows = await Promise.all(
    verdicts.map((verdict) =>
      getDb()
        .select({ id: deliveries.id, receivedAt: deliveries.receivedAt, error: deliveries.error })
        .from(deliveries)
        .where(eq(deliveries.verdict, verdict))
        .orderBy(desc(deliveries.id))
        .limit(1)
        .get(),
    ),
  );
  return rows.filter((r) => r !== undefined).sort((a, b) => b.id - a.id)[0] ?? null;
}

export async function lastCallbacks(): Promise<{ lastReceivedAt: Date | null; lastRejected: { at: Date; error: string | null } | null }> {
  const [received, rejected] = await Promise.all([latest(["accepted", "duplicate"]), latest(["rejected"])]);
  return {
    lastReceivedAt: received?.receivedAt ?? null,
    lastRejected: rejected ? { at: rejected.receivedAt, error: rejected.error } : null,
  };
}

/** Files at risk (lib/tasks/rules.ts): how many, and the soonest their provider deletes. */
export async function filesAtRisk(now: Date): Promise<{ atRisk: number; soonestExpiry: Date | null }> {
  const row = await getDb()
    .select({ n: count(), soonest: min(tasks.filesExpireAt) })
    .from(assets)
    .innerJoin(tasks, eq(tasks.taskId, assets.taskId))
    .where(atRisk(now))
    .get();
  return { atRisk: row?.n ?? 0, soonestExpiry: row?.soonest ?? null };
}
