import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import { atomic, getDb, step, write } from "@/db/client";
import { settings } from "@/db/schema";

/** Stores `value` unless the key is set already; answers the value that won (safe across processes). */
export async function setSettingOnce(key: string, value: string): Promise<string> {
  const db = getDb();
  await write(db.insert(settings).values({ key, value }).onConflictDoNothing());
  const row = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
  return row?.value ?? value;
}

/** Adds `count` requests refused for their token, keeping a short note of the last one only. */
export async function recordUnauthorized(count: number, last: { at: Date; path: string; remoteAddress: string | null }): Promise<void> {
  const db = getDb();
  const value = JSON.stringify({
    at: last.at.toISOString(),
    path: last.path.slice(0, 200),
    remoteAddress: last.remoteAddress?.slice(0, 100) ?? null,
  });
  await atomic([
    step(
      db
        .insert(settings)
        .values({ key: "unauthorized_callbacks", value: String(count) })
        // libSQL binds JS numbers as floats: without the inner cast the sum is stored as "7.0".
        .onConflictDoUpdate({
          target: settings.key,
          set: { value: sql`cast(cast(${settings.value} as integer) + cast(${count} as integer) as text)` },
        }),
    ),
    step(db.insert(settings).values({ key: "unauthorized_last", value }).onConflictDoUpdate({ target: settings.key, set: { value } })),
  ]);
}

/** How many callbacks were refused for their token, and when the last one was. */
export async function getRefusedCallbacks(): Promise<{ count: number; lastAt: string | null }> {
  const rows = await getDb()
    .select()
    .from(settings)
    .where(inArray(settings.key, ["unauthorized_callbacks", "unauthorized_last"]));
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const last = value("unauthorized_last");
  return { count: Number(value("unauthorized_callbacks") ?? 0), lastAt: last ? ((JSON.parse(last) as { at?: string }).at ?? null) : null };
}
