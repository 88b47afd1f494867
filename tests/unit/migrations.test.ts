// The migrations travel as code (db/migrations/bundle.ts), and an install made
// by any earlier release upgrades through them, on both drivers.
// - The bundle is the folder drizzle-kit wrote, exactly as drizzle's own
//   migrator reads it (statements, hashes, dates).
// - Earlier releases migrated with drizzle's folder migrator: each earlier
//   state is made that way with the journal cut at its entry, then the bundle
//   is applied on top and the schema must equal a fresh install's. A migration
//   dated before its predecessor would be skipped on upgrade (not on a fresh
//   install), so dates must also increase.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createClient, type Client } from "@libsql/client/http";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqliteFolder } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql/http";
import { migrate as migrateLibsqlFolder } from "drizzle-orm/libsql/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { migrateLibsql, migrateSqlite, migrationMeta } from "@/db/migrate";
import { MIGRATION_FILES } from "@/db/migrations/bundle";
import { ROOT } from "../helpers/ports";
import { startSqld, type Sqld } from "../helpers/sqld";

const MIGRATIONS = path.join(ROOT, "db", "migrations");
type Journal = { entries: { idx: number; when: number; tag: string }[] };
const journal: Journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "suno-migrations-"));
const sqlds: Sqld[] = [];
afterAll(async () => {
  await Promise.all(sqlds.map((s) => s.stop()));
  fs.rmSync(work, { recursive: true, force: true });
});

/** A migrations folder as the release at journal entry `idx` shipped it. */
function folderAt(idx: number): string {
  const folder = path.join(work, `at-${idx}`);
  if (!fs.existsSync(folder)) {
    fs.cpSync(MIGRATIONS, folder, { recursive: true });
    const cut: Journal = { ...journal, entries: journal.entries.slice(0, idx + 1) };
    fs.writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify(cut));
  }
  return folder;
}

const SCHEMA =
  "select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like 'libsql_%' and name not like '_litestream%' and name <> '__drizzle_migrations' order by type, name";
/** The trigram index's settings: FTS5 keeps them as rows, not in the schema. */
const SEARCH_SETTINGS = "select k, v from deliveries_fts_config order by k";

type Driver = {
  /** A new empty database. */
  fresh: () => Promise<string>;
  /** drizzle's folder migrator, as earlier releases ran it. */
  migrateFolder: (db: string, folder: string) => Promise<void>;
  /** The app's migrator on the bundle (or a prefix of it). */
  migrateBundle: (db: string, files?: typeof MIGRATION_FILES) => Promise<void>;
  query: (db: string, sql: string) => Promise<unknown[]>;
  /** Runs statements that write. */
  exec: (db: string, sql: string) => Promise<void>;
};

/** What a migrated database holds: its schema and the search index's settings. */
async function stateOf(driver: Driver, db: string) {
  return { schema: await driver.query(db, SCHEMA), searchSettings: await driver.query(db, SEARCH_SETTINGS) };
}

let files = 0;
const sqlite: Driver = {
  fresh: async () => path.join(work, `db-${++files}.sqlite`),
  migrateFolder: async (file, folder) => {
    const db = new Database(file);
    migrateSqliteFolder(drizzleSqlite(db), { migrationsFolder: folder });
    db.close();
  },
  migrateBundle: async (file, bundle) => {
    const db = new Database(file);
    migrateSqlite(db, bundle);
    db.close();
  },
  query: async (file, sql) => {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare(sql).all();
    db.close();
    return rows;
  },
  exec: async (file, sql) => {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  },
};

async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = createClient({ url });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

const libsql: Driver = {
  fresh: async () => {
    const sqld = await startSqld();
    sqlds.push(sqld);
    return sqld.url;
  },
  migrateFolder: (url, folder) => withClient(url, (client) => migrateLibsqlFolder(drizzleLibsql(client), { migrationsFolder: folder })),
  migrateBundle: (url, bundle) => withClient(url, (client) => migrateLibsql(client, bundle)),
  query: (url, sql) => withClient(url, async (client) => (await client.execute(sql)).rows.map((row) => ({ ...row }))),
  exec: (url, sql) => withClient(url, (client) => client.executeMultiple(sql)),
};

describe("migrations", () => {
  it("are bundled exactly as drizzle reads the folder (npm run db:generate rewrites the bundle)", () => {
    expect(migrationMeta()).toEqual(readMigrationFiles({ migrationsFolder: MIGRATIONS }));
  });

  it("are dated in the order they are listed", () => {
    const dates = journal.entries.map((e) => e.when);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    expect(new Set(dates).size).toBe(dates.length);
  });
});

describe.each([
  ["better-sqlite3", sqlite],
  ["libsql", libsql],
] as const)("migrations on %s", (_name, driver) => {
  let freshState: Awaited<ReturnType<typeof stateOf>> | undefined;
  async function fresh() {
    if (!freshState) {
      const db = await driver.fresh();
      await driver.migrateBundle(db);
      freshState = await stateOf(driver, db);
    }
    return freshState;
  }

  it("a fresh install has every migration recorded once, and migrating again changes nothing", async () => {
    const db = await driver.fresh();
    await driver.migrateBundle(db);
    await driver.migrateBundle(db);
    expect(await stateOf(driver, db)).toEqual(await fresh());
    const recorded = await driver.query(db, `select hash, created_at from "__drizzle_migrations" order by created_at`);
    expect(recorded.map((r) => Number((r as { created_at: unknown }).created_at))).toEqual(journal.entries.map((e) => e.when));
    // Merges wait for 8 segments (migration 0013): cheaper indexing under bursts.
    expect((await fresh()).searchSettings).toContainEqual({ k: "automerge", v: 8 });
  });

  it.each(journal.entries.slice(0, -1).map((e) => [e.tag, e.idx] as const))(
    "an install at %s (made by drizzle's folder migrator) upgrades to the fresh schema",
    async (_tag, idx) => {
      const db = await driver.fresh();
      await driver.migrateFolder(db, folderAt(idx));
      await driver.migrateBundle(db);
      expect(await stateOf(driver, db)).toEqual(await fresh());
    },
  );

  it("an install whose deliveries were indexed keeps them, and its new index holds them all (0013)", async () => {
    const db = await driver.fresh();
    await driver.migrateFolder(db, folderAt(journal.entries.findIndex((e) => e.tag === "0012_search_index_behind")));
    const body = (n: number) => JSON.stringify({ code: 501, msg: "failed", data: { taskId: `upgrade-${n}-needle` } });
    // Three deliveries, the last one not indexed yet.
    await driver.exec(
      db,
      [1, 2, 3]
        .map(
          (n) => `insert into deliveries (received_at, verdict, body, headers, path) values (${n}, 'accepted', '${body(n)}', '{}', '/');`,
        )
        .concat(
          "insert into deliveries_fts (rowid, body) select id, body from deliveries where id <= 2;",
          "update search_index set indexed_through = 2;",
        )
        .join("\n"),
    );
    await driver.migrateBundle(db);
    expect(await driver.query(db, "select count(*) as n from deliveries")).toEqual([{ n: 3 }]);
    expect(await driver.query(db, "select indexed_through as through from search_index")).toEqual([{ through: 3 }]);
    // FTS5's own check of the index against the bodies; it throws on any difference.
    await driver.exec(db, "insert into deliveries_fts (deliveries_fts) values ('integrity-check')");
    for (const id of [2, 3]) {
      const found = await driver.query(db, `select rowid as id from deliveries_fts where deliveries_fts match '"${id}-n" AND "eed"'`);
      expect(found).toEqual([{ id }]);
    }
  });

  it("an install at an earlier bundle upgrades to the fresh schema", async () => {
    const db = await driver.fresh();
    await driver.migrateBundle(db, MIGRATION_FILES.slice(0, 2));
    await driver.migrateBundle(db);
    expect(await stateOf(driver, db)).toEqual(await fresh());
  });
});
