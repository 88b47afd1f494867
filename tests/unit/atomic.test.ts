// The data layer's atomic writes on both drivers: a unit is all-or-nothing,
// group commit shares one SQLite commit, and a read-then-write that loses a
// race on libSQL starts over instead of writing over the winner.
import fs from "node:fs";
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

  it.runIf(driver === "better-sqlite3")("writes asked for in one event-loop turn share one SQLite commit", async () => {
    const { atomic } = db().client;
    // Every commit appends the pages it changed to the WAL: ten commits of one
    // row each append about ten times what one commit of ten rows does.
    const wal = () => fs.statSync(`${db().file}-wal`).size;
    const start = wal();
    await Promise.all(Array.from({ length: 10 }, (_, i) => atomic([insert(`together-${i}`, "1")])));
    const together = wal() - start;
    const before = wal();
    for (let i = 0; i < 10; i++) await atomic([insert(`alone-${i}`, "1")]);
    const alone = wal() - before;
    expect(together).toBeGreaterThan(0);
    expect(alone).toBeGreaterThanOrEqual(5 * together);
    expect(await setting("together-9")).toBe("1");
  });
});
