// A download claim's writes run one at a time (claimWrite in
// db/queries/assets.ts). The attempt's "download started" line goes with the
// claim's first write; a progress report still in flight when the outcome is
// written once made both carry it, and the timeline showed the start twice
// (seen as a third line for a two-file task in tests/multi-instance.test.ts).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DATABASES } from "../helpers/drivers";
import { useUnitDb } from "../helpers/unit-db";

describe.each(DATABASES)("a download claim's writes [%s]", (driver) => {
  const db = useUnitDb(driver);

  it("a progress report racing the outcome: one download_started line, the file stored", async () => {
    const { atomic, step, getDb } = db().client;
    const { assets, events, tasks } = db().schema;
    const { claimDueAssets, markStored, reportProgress } = await import("@/db/queries/assets");
    const now = new Date();
    const past = new Date(now.getTime() - 1_000);
    const taskId = `t-race-${driver}`;
    const d = getDb();
    await atomic([
      step(d.insert(tasks).values({ taskId, kind: "cover", createdAt: past, updatedAt: past })),
      step(
        d
          .insert(assets)
          .values({ taskId, type: "image", role: "cover", position: 0, remoteUrl: "https://example.com/0.png", nextAttemptAt: past }),
      ),
    ]);
    const [claim] = await claimDueAssets(now, 1, new Date(now.getTime() + 60_000));
    expect(claim?.taskId).toBe(taskId);

    // Both asked for before either has answered, as the progress timer and the outcome can be.
    const progress = reportProgress(claim!, { bytesReceived: 10, bytes: 20 }, new Date(now.getTime() + 60_000), now);
    const stored = markStored(
      claim!,
      {
        bytes: 20,
        sha256: "0".repeat(64),
        contentType: "image/png",
        storagePath: `cover/${taskId}/0.png`,
        thumbnailPath: null,
        thumbnailFailedAt: null,
        waveform: null,
      },
      { verdict: "stored", remove: [], event: { type: "download_stored", detail: "20 bytes" } },
      now,
    );
    expect(await Promise.all([progress, stored])).toEqual([true, true]);

    const lines = await d.select({ type: events.type }).from(events).where(eq(events.taskId, taskId));
    expect(lines.map((l) => l.type).sort()).toEqual(["download_started", "download_stored"]);
    const [asset] = await d.select({ status: assets.status }).from(assets).where(eq(assets.taskId, taskId));
    expect(asset?.status).toBe("stored");
  });
});

describe.each(DATABASES)("which due downloads a claim takes [%s]", (driver) => {
  const db = useUnitDb(driver);

  it("the longest due first, lapsed leases among them, up to the limit; never one not due or still held", async () => {
    const { atomic, step, getDb } = db().client;
    const { assets, tasks } = db().schema;
    const { claimDueAssets } = await import("@/db/queries/assets");
    const now = new Date();
    const ago = (s: number) => new Date(now.getTime() - s * 1_000);
    const taskId = `t-due-${driver}`;
    const d = getDb();
    const file = (position: number, values: Partial<typeof assets.$inferInsert>) =>
      step(
        d
          .insert(assets)
          .values({ taskId, type: "image", role: "cover", position, remoteUrl: `https://example.com/${position}.png`, ...values }),
      );
    await atomic([
      step(d.insert(tasks).values({ taskId, kind: "cover", createdAt: ago(60), updatedAt: ago(60) })),
      file(0, { nextAttemptAt: ago(3) }),
      file(1, { nextAttemptAt: ago(1) }),
      file(2, { nextAttemptAt: ago(2) }),
      file(3, { nextAttemptAt: new Date(now.getTime() + 60_000) }),
      // Its worker died: the lease ran out.
      file(4, { status: "downloading", nextAttemptAt: ago(4), leaseUntil: ago(1) }),
      // Still held by a live worker.
      file(5, { status: "downloading", nextAttemptAt: ago(5), leaseUntil: new Date(now.getTime() + 60_000) }),
    ]);
    const lease = new Date(now.getTime() + 60_000);
    const positions = async () => (await claimDueAssets(now, 3, lease)).map((c) => c.position).sort();
    expect(await positions()).toEqual([0, 2, 4]);
    expect(await positions()).toEqual([1]);
    expect(await claimDueAssets(now, 3, lease)).toEqual([]);
  });
});
