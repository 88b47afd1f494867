// Every write of the data layer goes through the write path of db/client.ts.
// On libSQL that is the writer client, which asks again while the server
// answers SQLITE_BUSY; the nine single statements that once ran on the read
// client failed at once instead. Here another process holds SQLite's write
// lock (the file sqld keeps, or the better-sqlite3 file) for a moment, as a
// second instance's long write would, and every such write must still land.
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { killWithTests } from "../helpers/children";
import { DATABASES } from "../helpers/drivers";
import { ROOT } from "../helpers/ports";
import { useUnitDb } from "../helpers/unit-db";

/** Holds the write lock of `file` from another process for `ms` (from when it resolves). */
async function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const code = `
    const db = new (require("better-sqlite3"))(process.argv[1]);
    db.exec("begin immediate");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("commit"); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ["-e", code, file, String(ms)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  killWithTests(child);
  const released = new Promise<void>((resolve, reject) =>
    child.once("exit", (status) => (status === 0 ? resolve() : reject(new Error(`the lock holder exited with ${status}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    released.catch(reject);
  });
  return { released };
}

describe.each(DATABASES)("the write path [%s]", (driver) => {
  const db = useUnitDb(driver);

  it("every single-statement write waits out a write lock held elsewhere instead of failing", async () => {
    const { atomic, step, getDb } = db().client;
    const { assets, destinations, notifications, settings, tasks } = db().schema;
    const now = new Date();
    const past = new Date(now.getTime() - 60_000);
    const longAgo = new Date(now.getTime() - 40 * 86_400_000);
    const lease = new Date(now.getTime() + 60_000);
    const d = getDb();
    await atomic([
      step(d.insert(tasks).values({ taskId: "t-lock", kind: "cover", nextPollAt: past, createdAt: past, updatedAt: past })),
      step(
        d.insert(assets).values({
          taskId: "t-lock",
          type: "image",
          role: "cover",
          position: 0,
          remoteUrl: "https://example.com/0.png",
          nextAttemptAt: past,
        }),
      ),
      step(
        d.insert(assets).values({
          taskId: "t-lock",
          type: "image",
          role: "cover",
          position: 1,
          remoteUrl: "https://example.com/1.png",
          status: "stored",
          storagePath: "cover/t-lock/1.png",
          bytes: 10,
          storedAt: longAgo,
        }),
      ),
      step(
        d
          .insert(destinations)
          .values({ url: "https://example.com/hook", format: "webhook", events: "[]", createdAt: past, updatedAt: past }),
      ),
    ]);
    const destination = (await d.select().from(destinations).get())!;
    await atomic([
      step(
        d.insert(notifications).values({
          destinationId: destination.id,
          messageId: "msg_lock",
          event: "task.succeeded",
          dedupeKey: "task.succeeded:t-lock",
          payload: "{}",
          nextAttemptAt: past,
          createdAt: past,
        }),
      ),
    ]);

    const { claimDueAssets } = await import("@/db/queries/assets");
    const { claimDuePolls } = await import("@/db/queries/polls");
    const { claimDueNotifications, createTestNotification, initEventsCursor } = await import("@/db/queries/notifications");
    const { takeExpiredFiles } = await import("@/db/queries/retention");
    const { insertDestination } = await import("@/db/queries/destinations");
    const { setSettingOnce } = await import("@/db/queries/settings");
    const { writeHeartbeat } = await import("@/db/queries/doctor");

    const lock = await holdWriteLock(db().sqliteFile, 1_500);
    const writes = {
      claimDueAssets: claimDueAssets(now, 5, lease),
      claimDuePolls: claimDuePolls(now, 5, lease),
      initEventsCursor: initEventsCursor(),
      claimDueNotifications: claimDueNotifications(now, 5, () => 5, lease),
      createTestNotification: createTestNotification(destination, "{}", now, lease),
      takeExpiredFiles: takeExpiredFiles(new Date(now.getTime() - 30 * 86_400_000), 5, now, 30),
      insertDestination: insertDestination({
        name: null,
        url: "https://example.com/other",
        format: "slack",
        events: [],
        secret: null,
        now,
      }),
      setSettingOnce: setSettingOnce("write-path", "first"),
      writeHeartbeat: writeHeartbeat({ at: now, by: "worker" }),
    };
    const outcomes = await Promise.allSettled(Object.values(writes));
    await lock.released;
    const failed = Object.keys(writes).flatMap((name, i) => {
      const o = outcomes[i]!;
      return o.status === "rejected" ? [`${name}: ${String((o.reason as Error)?.cause ?? o.reason)}`] : [];
    });
    expect(failed).toEqual([]);

    const value = <T>(name: keyof typeof writes) => (outcomes[Object.keys(writes).indexOf(name)] as PromiseFulfilledResult<T>).value;
    expect(value<{ position: number }[]>("claimDueAssets").map((a) => a.position)).toEqual([0]);
    expect(value<{ taskId: string }[]>("claimDuePolls").map((t) => t.taskId)).toEqual(["t-lock"]);
    expect(value<{ messageId: string }[]>("claimDueNotifications").map((n) => n.messageId)).toEqual(["msg_lock"]);
    expect(value<{ position: number }[]>("takeExpiredFiles").map((f) => f.position)).toEqual([1]);
    expect(value<{ url: string }>("insertDestination").url).toBe("https://example.com/other");
    expect(value<string>("setSettingOnce")).toBe("first");
    const setting = (key: string) => d.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
    expect(await setting("notify_events_cursor")).toBeDefined();
    expect(JSON.parse((await setting("worker_heartbeat"))!.value)).toMatchObject({ by: "worker" });
    expect(await d.select().from(notifications).where(eq(notifications.event, "test")).all()).toHaveLength(1);
  }, 30_000);
});
