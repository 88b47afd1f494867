// GET /api/health: whether the database answers and the storage takes a
// write, and which drivers are in use. Answered without a login: no paths,
// URLs or secrets, only driver names. The storage's write test (a PUT and a
// DELETE on a bucket, billable calls) runs at most once a minute per process
// for plain health, whoever asks and however often; the doctor (setup page,
// ?verbose=1) runs it every time, and its verdict is the one plain health
// answers next.
import "server-only";
import { sql } from "drizzle-orm";
import { databaseDriver, getDb } from "@/db/client";
import { env } from "@/lib/core/env";
import { processSingleton } from "@/lib/core/registry";
import { storage } from "@/lib/storage";

/** How long plain health trusts the last write test. */
const WRITE_TEST_TTL_MS = 60_000;

export type Health = {
  ok: boolean;
  database: { ok: boolean; driver: "better-sqlite3" | "libsql"; error?: string };
  storage: { ok: boolean; driver: "local" | "s3"; error?: string };
  worker: "in-process" | "cron";
  uptimeSeconds: number;
};

type Probe = { ok: boolean; error?: string };

/** The last write test, shared by every request of the process (in flight too: concurrent checks share one). */
const lastWriteTest = processSingleton("health-write-test", () => ({ at: 0, result: undefined as Promise<Probe> | undefined }));

/** The storage's write test: run now (`fresh`), or the one of the last minute. */
function writeTest(fresh: boolean): Promise<Probe> {
  const now = Date.now();
  if (!fresh && lastWriteTest.result && now - lastWriteTest.at < WRITE_TEST_TTL_MS) return lastWriteTest.result;
  const store = storage();
  lastWriteTest.at = now;
  lastWriteTest.result = probe(
    "storage",
    store.driver === "s3" ? "the storage bucket is not writable" : "the storage folder is not writable",
    () => store.check(),
  );
  return lastWriteTest.result;
}

/** `fresh`: test the storage's write path now (the doctor), not trust the last minute's verdict (plain health). */
export async function checkHealth({ fresh = false }: { fresh?: boolean } = {}): Promise<Health> {
  const store = storage();
  const [database, stored] = await Promise.all([
    probe("database", "the database does not answer", async () => {
      await getDb().run(sql`select 1`);
    }),
    writeTest(fresh),
  ]);
  return {
    ok: database.ok && stored.ok,
    database: { ...database, driver: databaseDriver() },
    storage: { ...stored, driver: store.driver },
    worker: env().WORKER ? "in-process" : "cron",
    uptimeSeconds: Math.round(process.uptime()),
  };
}

async function probe(name: string, failure: string, check: () => Promise<void>): Promise<Probe> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    console.error(`[health] ${name} check failed:`, error);
    return { ok: false, error: failure };
  }
}
