// The one database handle of the process. SQLite in WAL mode: readers never
// wait for the writer, and a crash (even kill -9) loses no committed write.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;

type Handle = { db: Db; sqlite: Database.Database; file: string };

const globalForDb = globalThis as unknown as { sunoDb?: Handle };

/** Absolute path of the SQLite file named by a `file:` DATABASE_URL. */
export function databaseFile(url = env().DATABASE_URL): string {
  const file = url.replace(/^file:(\/\/)?/, "");
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), file);
}

function open(): Handle {
  const file = databaseFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // NORMAL is durable against process crashes in WAL mode; only power loss can
  // take the last commits, and it keeps each commit free of fsync.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, {
    migrationsFolder: path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations"),
  });
  return { db, sqlite, file };
}

function handle(): Handle {
  globalForDb.sunoDb ??= open();
  return globalForDb.sunoDb;
}

/** The Drizzle database, opened and migrated on first use. */
export function getDb(): Db {
  return handle().db;
}

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Job = { work: (tx: Tx) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
const batch: { jobs: Job[]; scheduled: boolean } = { jobs: [], scheduled: false };

/**
 * Runs `work` in a write transaction, durably committed when the promise
 * resolves. Group commit: the transactions asked for in one event-loop turn
 * share a single SQLite commit (the costly part of a small write), each in
 * its own savepoint so one failure undoes only its own work.
 * `work` is synchronous: no awaits, no network or file work inside.
 */
export function writeTransaction<T>(work: (tx: Tx) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    batch.jobs.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!batch.scheduled) {
      batch.scheduled = true;
      setImmediate(flushWrites);
    }
  });
}

function flushWrites() {
  const jobs = batch.jobs;
  batch.jobs = [];
  batch.scheduled = false;
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    const { db, sqlite } = handle();
    sqlite
      .transaction(() => {
        for (const job of jobs) {
          try {
            // Nested inside the batch, this is a savepoint.
            outcomes.push({ ok: true, value: db.transaction(job.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })
      .immediate();
  } catch (error) {
    // The database could not be opened or the commit failed: nothing of the batch is stored.
    for (const job of jobs) job.reject(error);
    return;
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
}
