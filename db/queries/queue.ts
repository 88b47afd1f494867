// How much queued work is due: for the cron tick's answer.
import "server-only";
import { count } from "drizzle-orm";
import { getDb } from "@/db/client";
import { assets, tasks } from "@/db/schema";
import { dueForDownload } from "./assets";
import { dueForPoll } from "./polls";

export async function countDueWork(now: Date): Promise<{ downloads: number; polls: number }> {
  const db = getDb();
  const [downloads, polls] = await Promise.all([
    db.select({ n: count() }).from(assets).where(dueForDownload(now)).get(),
    db.select({ n: count() }).from(tasks).where(dueForPoll(now)).get(),
  ]);
  return { downloads: downloads?.n ?? 0, polls: polls?.n ?? 0 };
}
