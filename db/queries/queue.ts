// How much queued work is due: for the cron tick's answer and health checks.
import "server-only";
import { and, count, eq, isNotNull, lt, lte, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, tasks } from "@/db/schema";

export async function countDueWork(now: Date): Promise<{ downloads: number; polls: number }> {
  const db = getDb();
  const [downloads, polls] = await Promise.all([
    db
      .select({ n: count() })
      .from(assets)
      .where(
        or(
          and(eq(assets.status, "pending"), lte(assets.nextAttemptAt, now)),
          and(eq(assets.status, "downloading"), lt(assets.leaseUntil, now)),
        ),
      )
      .get(),
    db
      .select({ n: count() })
      .from(tasks)
      .where(and(eq(tasks.status, "pending"), isNotNull(tasks.nextPollAt), lte(tasks.nextPollAt, now)))
      .get(),
  ]);
  return { downloads: downloads?.n ?? 0, polls: polls?.n ?? 0 };
}
