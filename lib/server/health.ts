// GET /api/health: whether the database answers and the storage takes a
// write, and which drivers are in use. Answered without a login: no paths,
// URLs or secrets, only driver names.
import "server-only";
import { sql } from "drizzle-orm";
import { databaseDriver, getDb } from "@/db/client";
import { env } from "@/lib/core/env";
import { storage } from "@/lib/storage";

export type Health = {
  ok: boolean;
  database: { ok: boolean; driver: "better-sqlite3" | "libsql"; error?: string };
  storage: { ok: boolean; driver: "local" | "s3"; error?: string };
  worker: "in-process" | "cron";
  uptimeSeconds: number;
};

export async function checkHealth(): Promise<Health> {
  const store = storage();
  const [database, stored] = await Promise.all([
    probe("database", "the database does not answer", async () => {
      await getDb().run(sql`select 1`);
    }),
    probe("storage", store.driver === "s3" ? "the storage bucket is not writable" : "the storage folder is not writable", () =>
      store.check(),
    ),
  ]);
  return {
    ok: database.ok && stored.ok,
    database: { ...database, driver: databaseDriver() },
    storage: { ...stored, driver: store.driver },
    worker: env().WORKER ? "in-process" : "cron",
    uptimeSeconds: Math.round(process.uptime()),
  };
}

async function probe(name: string, failure: string, check: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    console.error(`[health] ${name} check failed:`, error);
    return { ok: false, error: failure };
  }
}
