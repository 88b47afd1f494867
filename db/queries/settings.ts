import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { settings } from "@/db/schema";

export async function getSetting(key: string): Promise<string | null> {
  const row = getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
  return row?.value ?? null;
}

/** Stores `value` unless the key is set already; answers the value that won (safe across processes). */
export async function setSettingOnce(key: string, value: string): Promise<string> {
  const db = getDb();
  db.insert(settings).values({ key, value }).onConflictDoNothing().run();
  const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
  return row?.value ?? value;
}

export async function setSetting(key: string, value: string): Promise<void> {
  getDb().insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
}

/** Adds one to a numeric setting, creating it at 1. */
export async function incrementSetting(key: string): Promise<void> {
  getDb()
    .insert(settings)
    .values({ key, value: "1" })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`cast(cast(${settings.value} as integer) + 1 as text)` } })
    .run();
}
