// How much queued work is due: for the cron tick's answer (one read batch).
import "server-only";
import { count } from "drizzle-orm";
import { getDb, read, readBatch } from "@/db/client";
import { assets, tasks } from "@/db/schema";
import { dueForDownload } from "./assets";
import { dueNotificationsCount } from "./notifications";
import { dueForPoll } from "./polls";

export async function countDueWork(now: Date): Promise<{ downloads: number; polls: number; notifications: number }> {
  const db = getDb();
  const [downloads, polls, notifications] = await readBatch([
    read(db.select({ n: count() }).from(assets).where(dueForDownload(now))),
    read(db.select({ n: count() }).from(tasks).where(dueForPoll(now))),
    read(dueNotificationsCount(now)),
  ]);
  return { downloads: downloads[0]?.n ?? 0, polls: polls[0]?.n ?? 0, notifications: notifications[0]?.n ?? 0 };
}
