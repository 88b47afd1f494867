// An install made by any earlier release upgrades: drizzle's migrator applies
// only the journal entries dated after the newest one already applied, so a
// migration dated before its predecessor would be skipped on every upgrade
// (but not on a fresh install). Each earlier state is made by migrating with
// a journal cut at that entry, then the full folder is applied on top.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/ports";

const MIGRATIONS = path.join(ROOT, "db", "migrations");
type Journal = { entries: { idx: number; when: number; tag: string }[] };
const journal: Journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "suno-migrations-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The schema as SQLite describes it: every table, index and trigger with its SQL. */
function schemaOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();
  db.close();
  return rows.map((r) => JSON.stringify(r));
}

function migrateWith(file: string, folder: string) {
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  sqlite.close();
}

describe("migrations", () => {
  it("are dated in the order they are listed", () => {
    const dates = journal.entries.map((e) => e.when);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(new Set(dates).size).toBe(dates.length);
  });

  const fresh = path.join(work, "fresh.db");
  it.each(journal.entries.slice(0, -1).map((e) => [e.tag, e.idx] as const))("an install at %s upgrades to the fresh schema", (tag, idx) => {
    if (!fs.existsSync(fresh)) migrateWith(fresh, MIGRATIONS);
    // A migrations folder as that release shipped it: the journal cut after `tag`.
    const folder = path.join(work, `at-${idx}`);
    fs.cpSync(MIGRATIONS, folder, { recursive: true });
    const cut: Journal = { ...journal, entries: journal.entries.slice(0, idx + 1) };
    fs.writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify(cut));
    const file = path.join(work, `upgraded-${idx}.db`);
    migrateWith(file, folder);
    migrateWith(file, MIGRATIONS);
    expect(schemaOf(file)).toEqual(schemaOf(fresh));
  });
});
