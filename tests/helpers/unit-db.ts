// Opens the app's own data layer (db/client.ts) in the test process, on a
// fresh SQLite file or a fresh sqld, for unit tests of db/ and lib/ modules.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import type { DatabaseDriver } from "./server";
import { startSqld, type Sqld } from "./sqld";

export type UnitDb = {
  client: typeof import("@/db/client");
  schema: typeof import("@/db/schema");
  /** The file of a better-sqlite3 database, null on libSQL. */
  file: string | null;
  /** The SQLite file itself on either driver (on libSQL, the one sqld keeps), e.g. to lock it from another process. */
  sqliteFile: string;
};

/** Inside a describe: opens a fresh database on `driver` before its tests and closes it after. */
export function useUnitDb(driver: DatabaseDriver): () => UnitDb {
  let db: UnitDb | undefined;
  let sqld: Sqld | undefined;
  beforeAll(async () => {
    let file: string | null = null;
    if (driver === "libsql") {
      sqld = await startSqld();
      process.env.DATABASE_URL = sqld.url;
    } else {
      file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "suno-unit-")), "unit.db");
      process.env.DATABASE_URL = `file:${file}`;
    }
    // env() is read once per module instance: fresh modules see this driver's URL.
    vi.resetModules();
    const client = await import("@/db/client");
    await client.openDatabase();
    db = { client, schema: await import("@/db/schema"), file, sqliteFile: file ?? path.join(sqld!.dir, "db", "dbs", "default", "data") };
  }, 30_000);
  afterAll(async () => {
    await db?.client.closeDatabase();
    await sqld?.stop();
    delete process.env.DATABASE_URL;
  });
  return () => {
    if (!db) throw new Error("the unit database is not open");
    return db;
  };
}
