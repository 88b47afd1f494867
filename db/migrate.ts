// Applies the migrations bundled in db/migrations/bundle.ts, on either driver.
// They are code, not files read at run time: a Vercel function or a standalone
// server holds only what the build traced, never the repository's folders.
// Same bookkeeping as drizzle's folder migrator, which earlier releases ran:
// one row per applied migration in `__drizzle_migrations`, and a migration is
// pending when it is dated after the newest row.
import crypto from "node:crypto";
import type Database from "better-sqlite3";
import type { Client, InStatement } from "@libsql/client";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { MIGRATION_FILES } from "./migrations/bundle";

/** One migration as drizzle-kit wrote it: its journal entry and its SQL file's text. */
export type MigrationFile = { tag: string; when: number; breakpoints: boolean; sql: string };

/** The migrations as drizzle's readMigrationFiles() describes a folder (statements split, hash of the file). */
export function migrationMeta(files: readonly MigrationFile[] = MIGRATION_FILES): MigrationMeta[] {
  return files.map((file) => ({
    sql: file.sql.split("--> statement-breakpoint"),
    bps: file.breakpoints,
    folderMillis: file.when,
    hash: crypto.createHash("sha256").update(file.sql).digest("hex"),
  }));
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`;
const NEWEST = `SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`;
const RECORD = `INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)`;

function pending(files: readonly MigrationFile[], newest: unknown): MigrationMeta[] {
  const appliedUpTo = newest === undefined || newest === null ? -Infinity : Number(newest);
  return migrationMeta(files).filter((m) => m.folderMillis > appliedUpTo);
}

/** better-sqlite3: every pending migration in one immediate transaction (another process migrating waits, then finds nothing left). */
export function migrateSqlite(sqlite: Database.Database, files: readonly MigrationFile[] = MIGRATION_FILES): void {
  sqlite.exec(CREATE_TABLE);
  sqlite
    .transaction(() => {
      const newest = (sqlite.prepare(NEWEST).get() as { created_at: unknown } | undefined)?.created_at;
      const record = sqlite.prepare(RECORD);
      for (const migration of pending(files, newest)) {
        for (const statement of migration.sql) sqlite.exec(statement);
        record.run(migration.hash, migration.folderMillis);
      }
    })
    .immediate();
}

/**
 * libSQL: one round trip when the database is up to date (each cold start of a
 * serverless function pays it), else one more batch with every pending
 * migration. Instances starting together race: the loser's batch fails on what
 * the winner made and rolls back, and it looks again.
 */
export async function migrateLibsql(client: Client, files: readonly MigrationFile[] = MIGRATION_FILES): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const [, newest] = await client.batch([CREATE_TABLE, NEWEST], "deferred");
    const steps: InStatement[] = pending(files, newest?.rows[0]?.created_at).flatMap((migration) => [
      ...migration.sql.map((statement) => ({ sql: statement, args: [] })),
      { sql: RECORD, args: [migration.hash, migration.folderMillis] },
    ]);
    if (steps.length === 0) return;
    try {
      await client.batch(steps, "write");
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
