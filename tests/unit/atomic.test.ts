// The data layer's atomic writes on both drivers: a unit is all-or-nothing and
// commits at once (one WAL commit record on SQLite, never seen in part by a
// second client on libSQL), group commit shares one SQLite commit, and a
// read-then-write that loses a race on libSQL starts over instead of writing
// over the winner.
import fs from "node:fs";
import { createClient } from "@libsql/client/http";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DATABASES } from "../helpers/drivers";
import { useUnitDb } from "../helpers/unit-db";

describe.each(DATABASES)("atomic writes [%s]", (driver) => {
  const db = useUnitDb(driver);
  const setting = async (key: string) => {
    const { client, schema } = db();
    return (await client.getDb().select().from(schema.settings).where(eq(schema.settings.key, key)).get())?.value;
  };
  const insert = (key: string, value: string) => db().client.step(db().client.getDb().insert(db().schema.settings).values({ key, value }));

  it("a unit whose last step fails leaves nothing of its first; units beside it commit", async () => {
    const { atomic } = db().client;
    await atomic([insert("taken", "1")]);
    const results = await Promise.allSettled([
      atomic([insert("a", "1")]),
      atomic([insert("b", "1"), insert("taken", "duplicate key")]),
      atomic([insert("c", "1")]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await setting("a")).toBe("1");
    expect(await setting("b")).toBeUndefined();
    expect(await setting("c")).toBe("1");
    expect(await setting("taken")).toBe("1");
  });

  it("answers each step's changed rows and new row id the same way on both drivers", async () => {
    const { atomic, step, getDb } = db().client;
    const { events, tasks } = db().schema;
    const now = new Date();
    const [task, none, event] = await atomic([
      step(getDb().insert(tasks).values({ taskId: "t-results", kind: "cover", createdAt: now, updatedAt: now })),
      step(getDb().update(tasks).set({ message: "x" }).where(eq(tasks.taskId, "no-such-task"))),
      step(getDb().insert(events).values({ taskId: "t-results", at: now, type: "test", detail: null })),
    ]);
    expect(task!.changes).toBe(1);
    expect(none!.changes).toBe(0);
    expect(event!.changes).toBe(1);
    const row = await getDb().select({ id: events.id }).from(events).where(eq(events.taskId, "t-results")).get();
    expect(event!.lastInsertRowid).toBe(row!.id);
  });

  it("concurrent read-then-write increments never lose one (planWrite re-reads after a lost race)", async () => {
    const { atomic, planWrite, getDb, sqlStep } = db().client;
    const { settings } = db().schema;
    await atomic([insert("counter", "0")]);
    const read = () => getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, "counter")).get();
    const increments = 25;
    await Promise.all(
      Array.from({ length: increments }, () =>
        planWrite(read, (row) => {
          const next = String(Number(row!.value) + 1);
          return {
            steps: [sqlStep(sql`update ${settings} set value = ${next} where key = 'counter'`)],
            unchanged: sql`(select value from ${settings} where key = 'counter') = ${row!.value}`,
            answer: () => next,
          };
        }),
      ),
    );
    expect(await setting("counter")).toBe(String(increments));
  });

  // On libSQL the first goes alone and the others, asked for while it is on its
  // way, go in one batch: a refused guess and a failed write among them change
  // only their own outcome.
  it("guessed writes asked for together: each is written, refused and planned again, or failed, on its own", async () => {
    const { atomic, planWriteOnGuess, read, sqlStep, getDb } = db().client;
    const { settings } = db().schema;
    const keys = ["g0", "g1", "g2", "g3"];
    await atomic(keys.map((key) => insert(key, "0")));
    const left = new Map<string, string | undefined>();
    /** Adds one to a setting, planned on `guess`; `duplicate` also inserts a key that exists, and fails. */
    const increment = (key: string, guess: string | undefined, duplicate = false) =>
      planWriteOnGuess(
        {
          read: read(getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, key))),
          state: (rows: { value: string }[]) => rows[0]?.value,
        },
        guess,
        (value) => {
          const next = String(Number(value) + 1);
          return {
            steps: [sqlStep(sql`update ${settings} set value = ${next} where key = ${key}`), ...(duplicate ? [insert("g0", "again")] : [])],
            unchanged:
              value === undefined
                ? sql`not exists (select 1 from ${settings} where key = ${key})`
                : sql`(select value from ${settings} where key = ${key}) = ${value}`,
            answer: () => next,
          };
        },
        (state) => left.set(key, state),
      );
    const results = await Promise.allSettled([
      increment("g0", "0"),
      increment("g1", "0"),
      increment("g2", "7"), // a wrong guess: refused, then planned on what was read
      increment("g3", "0", true), // fails: nothing of it stays
      increment("g1", "0"), // the same task twice: the second is refused and goes again
      increment("g0", "1"),
    ]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "rejected"))).toEqual([
      "1",
      expect.any(String),
      "1",
      "rejected",
      expect.any(String),
      "2",
    ]);
    expect([(results[1] as PromiseFulfilledResult<string>).value, (results[4] as PromiseFulfilledResult<string>).value].sort()).toEqual([
      "1",
      "2",
    ]);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/UNIQUE|constraint/i) });
    expect(await Promise.all(keys.map(setting))).toEqual(["2", "2", "1", "0"]);
    // What each write left, as read in its own transaction (libSQL: the next guess); better-sqlite3 tells nothing.
    if (driver === "libsql") expect(Object.fromEntries(left)).toEqual({ g0: "2", g1: "2", g2: "1" });
    else expect(left.size).toBe(0);
  });

  // On better-sqlite3 the read runs inside the write transaction: there is no guard to test.
  it.runIf(driver === "libsql")(
    "a guard whose condition is NULL (the row it compares is gone) fails the unit, and planWrite reads again",
    async () => {
      const { atomic, planWrite, getDb, sqlStep } = db().client;
      const { settings } = db().schema;
      await atomic([insert("cursor", "7")]);
      let reads = 0;
      const answer = await planWrite(
        async () => {
          const row = await getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, "cursor")).get();
          // Another writer deletes the row between this read and the write: `=` against it is NULL.
          if (reads++ === 0) await atomic([sqlStep(sql`delete from ${settings} where key = 'cursor'`)]);
          return row;
        },
        (row) =>
          row
            ? {
                steps: [insert("queued-at-cursor", row.value)],
                unchanged: sql`(select value from ${settings} where key = 'cursor') = ${row.value}`,
                answer: () => "wrote",
              }
            : { steps: [], answer: () => "cursor gone" },
      );
      expect(answer).toBe("cursor gone");
      expect(reads).toBe(2);
      expect(await setting("queued-at-cursor")).toBeUndefined();
    },
  );

  it.runIf(driver === "better-sqlite3")(
    "the steps of one unit are one SQLite commit: a second connection sees all of them or none",
    async () => {
      const { atomic } = db().client;
      const file = db().file!;
      const other = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const keys = Array.from({ length: 20 }, (_, i) => `unit-${i}`);
        const visible = () => other.prepare(`select count(*) as n from settings where key like 'unit-%'`).get() as { n: number };
        const versionBefore = other.pragma("data_version", { simple: true });
        const commitsBefore = walCommits(file);
        await atomic(keys.map((key) => insert(key, "1")));
        // Twenty inserts, one commit record in the WAL: no reader could ever see a part of them.
        expect(walCommits(file) - commitsBefore).toBe(1);
        expect(visible()).toEqual({ n: keys.length });
        expect(other.pragma("data_version", { simple: true })).not.toBe(versionBefore);
        // A unit that fails at its last step: the other connection sees none of its first.
        await expect(atomic([insert("unit-new", "1"), insert("unit-0", "duplicate key")])).rejects.toThrow();
        expect(visible()).toEqual({ n: keys.length });
        expect(other.prepare("select count(*) as n from settings where key = 'unit-new'").get()).toEqual({ n: 0 });
      } finally {
        other.close();
      }
    },
  );

  it.runIf(driver === "better-sqlite3")(
    "units asked for in one event-loop turn share one SQLite commit; awaited one by one, one each",
    async () => {
      const { atomic } = db().client;
      const file = db().file!;
      const start = walCommits(file);
      await Promise.all(Array.from({ length: 10 }, (_, i) => atomic([insert(`together-${i}`, "1")])));
      expect(walCommits(file) - start).toBe(1);
      const before = walCommits(file);
      for (let i = 0; i < 10; i++) await atomic([insert(`alone-${i}`, "1")]);
      expect(walCommits(file) - before).toBe(10);
      expect(await setting("together-9")).toBe("1");
    },
  );

  it.runIf(driver === "better-sqlite3")(
    "a unit that fails in a shared commit: the units beside it are each applied exactly once (run again alone after the rollback)",
    async () => {
      const { atomic, planWrite, getDb, sqlStep } = db().client;
      const { settings } = db().schema;
      await atomic([insert("shared-counter", "0"), insert("shared-taken", "1")]);
      const read = () => getDb().select({ value: settings.value }).from(settings).where(eq(settings.key, "shared-counter")).get();
      const increment = () =>
        planWrite(read, (row) => {
          const next = String(Number(row!.value) + 1);
          return { steps: [sqlStep(sql`update ${settings} set value = ${next} where key = 'shared-counter'`)], answer: () => next };
        });
      const results = await Promise.allSettled([
        increment(),
        increment(),
        atomic([insert("shared-lost", "1"), insert("shared-taken", "duplicate key")]),
        increment(),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
      expect(results.map((r) => (r.status === "fulfilled" ? r.value : null))).toEqual(["1", "2", null, "3"]);
      expect(await setting("shared-counter")).toBe("3");
      expect(await setting("shared-lost")).toBeUndefined();
    },
  );

  it.runIf(driver === "better-sqlite3")(
    "a shared commit that cannot start (the file stays locked) fails each unit once: they are not asked again one by one",
    async () => {
      const { atomic, getDb } = db().client;
      const own = (getDb() as unknown as { $client: Database.Database }).$client;
      const other = new Database(db().file!);
      const busyMs = 300;
      own.pragma(`busy_timeout = ${busyMs}`);
      other.exec("BEGIN IMMEDIATE");
      try {
        const started = performance.now();
        const results = await Promise.allSettled([1, 2, 3, 4].map((i) => atomic([insert(`locked-${i}`, "1")])));
        const waited = performance.now() - started;
        expect(results.map((r) => r.status === "rejected" && (r.reason as { code?: string }).code)).toEqual(Array(4).fill("SQLITE_BUSY"));
        // One wait for the lock, not one more per unit (five in all).
        expect(waited).toBeLessThan(3 * busyMs);
      } finally {
        other.exec("ROLLBACK");
        other.close();
        own.pragma("busy_timeout = 5000");
      }
      expect(await setting("locked-1")).toBeUndefined();
    },
  );

  it.runIf(driver === "libsql")("a second client reading while a large unit commits sees all of its rows or none", async () => {
    const { atomic } = db().client;
    const url = process.env.DATABASE_URL!;
    const reader = createClient({ url });
    try {
      const keys = Array.from({ length: 400 }, (_, i) => `bulk-${i}`);
      const seen = new Set<number>();
      let writing = true;
      const readLoop = (async () => {
        while (writing) {
          const rs = await reader.execute("select count(*) as n from settings where key like 'bulk-%'");
          seen.add(Number(rs.rows[0]!.n));
        }
      })();
      await atomic(keys.map((key) => insert(key, "1")));
      writing = false;
      await readLoop;
      seen.add(Number((await reader.execute("select count(*) as n from settings where key like 'bulk-%'")).rows[0]!.n));
      expect(
        [...seen].every((n) => n === 0 || n === keys.length),
        `partial counts seen: ${[...seen].join(", ")}`,
      ).toBe(true);
      expect(seen.has(keys.length)).toBe(true);
    } finally {
      reader.close();
    }
  });
});

/**
 * Commit records in a SQLite WAL file: frames of the current WAL (their salt
 * matches the header's) whose "database size after commit" field is set. Every
 * write transaction ends with exactly one.
 */
function walCommits(dbFile: string): number {
  const wal = fs.readFileSync(`${dbFile}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}
