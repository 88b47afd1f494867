// The write path of results: every callback, replay and poll lands here, in
// one transaction each, through the rules of lib/apply.ts.
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { assets, deliveries, events, tasks, type AssetType, type DeliveryVerdict, type TaskKind, type TaskSource } from "@/db/schema";
import { decide } from "@/lib/apply";
import type { ParsedCallback } from "@/lib/suno/callbacks";
import type { ProviderResult } from "@/lib/suno/result";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type Applied = { verdict: "accepted" | "duplicate"; taskId: string; newAssets: number };

/** Applies a result to its task (creating the task when unknown), records assets and an event. */
function applyInTx(tx: Tx, result: ProviderResult, source: TaskSource, eventType: string, now: Date): Applied {
  tx.insert(tasks)
    .values({
      taskId: result.taskId,
      kind: result.kind,
      createdAt: now,
      updatedAt: now,
      parentTaskId: result.parentTaskId ?? null,
      audioId: result.audioId ?? null,
      remoteCreatedAt: result.remoteCreatedAt ?? null,
      lastSource: source,
    })
    .onConflictDoNothing()
    .run();
  const current = tx.select().from(tasks).where(eq(tasks.taskId, result.taskId)).get();
  const decision = decide(current, result, source, now);

  tx.update(tasks)
    .set({
      ...(decision.update ?? {}),
      // A final state needs no more polling.
      ...(decision.update ? { nextPollAt: null } : {}),
      parentTaskId: sql`coalesce(${tasks.parentTaskId}, ${result.parentTaskId ?? null})`,
      audioId: sql`coalesce(${tasks.audioId}, ${result.audioId ?? null})`,
      remoteCreatedAt: sql`coalesce(${tasks.remoteCreatedAt}, ${result.remoteCreatedAt?.getTime() ?? null})`,
      updatedAt: now,
    })
    .where(eq(tasks.taskId, result.taskId))
    .run();

  let newAssets = 0;
  if (decision.urls.length > 0) {
    const type: AssetType = result.kind === "cover" ? "image" : "audio";
    const inserted = tx
      .insert(assets)
      .values(decision.urls.map((remoteUrl, position) => ({
        taskId: result.taskId, type, position, remoteUrl, nextAttemptAt: now, createdAt: now, updatedAt: now,
      })))
      .onConflictDoNothing()
      .returning({ id: assets.id })
      .all();
    newAssets = inserted.length;
  }
  tx.insert(events).values({ taskId: result.taskId, at: now, type: eventType, detail: decision.detail }).run();
  return { verdict: decision.verdict, taskId: result.taskId, newAssets };
}

export type DeliveryInput = {
  receivedAt: Date;
  kind: TaskKind | null;
  body: string;
  headers: Record<string, string>;
  remoteAddress: string | null;
  path: string;
};

export type RecordedDelivery = { deliveryId: number; verdict: DeliveryVerdict; taskId: string | null; newAssets: number };

/** Stores a delivery and applies what it says, atomically: either both are durable or neither. */
export async function recordCallback(delivery: DeliveryInput, parsed: ParsedCallback): Promise<RecordedDelivery> {
  return getDb().transaction(
    (tx) => {
      const applied = parsed.ok ? applyInTx(tx, parsed.result, "callback", "callback", delivery.receivedAt) : null;
      if (applied) {
        tx.update(tasks)
          .set({ deliveryCount: sql`${tasks.deliveryCount} + 1`, lastCallbackAt: delivery.receivedAt })
          .where(eq(tasks.taskId, applied.taskId))
          .run();
      }
      const [row] = tx
        .insert(deliveries)
        .values({
          ...delivery,
          kind: parsed.ok ? parsed.result.kind : (parsed.kind ?? delivery.kind),
          headers: JSON.stringify(delivery.headers),
          taskId: applied?.taskId ?? null,
          verdict: applied?.verdict ?? "rejected",
          error: parsed.ok ? null : parsed.error,
        })
        .returning({ id: deliveries.id })
        .all();
      return {
        deliveryId: row!.id,
        verdict: applied?.verdict ?? "rejected",
        taskId: applied?.taskId ?? null,
        newAssets: applied?.newAssets ?? 0,
      };
    },
    { behavior: "immediate" },
  );
}

/** Re-applies a stored delivery. A rejected delivery that now parses becomes accepted and joins its task. */
export async function applyReplay(deliveryId: number, parsed: ParsedCallback, now: Date): Promise<RecordedDelivery | null> {
  return getDb().transaction(
    (tx) => {
      const delivery = tx.select().from(deliveries).where(eq(deliveries.id, deliveryId)).get();
      if (!delivery) return null;
      if (!parsed.ok) {
        tx.update(deliveries).set({ error: parsed.error }).where(eq(deliveries.id, deliveryId)).run();
        return { deliveryId, verdict: "rejected" as const, taskId: null, newAssets: 0 };
      }
      const applied = applyInTx(tx, parsed.result, "callback", "replay", now);
      if (delivery.verdict === "rejected") {
        tx.update(deliveries)
          .set({ verdict: applied.verdict, taskId: applied.taskId, error: null, kind: parsed.result.kind })
          .where(and(eq(deliveries.id, deliveryId), isNull(deliveries.taskId)))
          .run();
        tx.update(tasks)
          .set({ deliveryCount: sql`${tasks.deliveryCount} + 1`, lastCallbackAt: delivery.receivedAt })
          .where(eq(tasks.taskId, applied.taskId))
          .run();
      }
      return { deliveryId, verdict: applied.verdict, taskId: applied.taskId, newAssets: applied.newAssets };
    },
    { behavior: "immediate" },
  );
}

/** Applies a polled result (issue: polling) through the same rules, counting the poll. */
export async function applyPolledResult(result: ProviderResult, now: Date, nextPollAt: Date | null): Promise<Applied> {
  return getDb().transaction(
    (tx) => {
      const applied = applyInTx(tx, result, "poll", "poll", now);
      tx.update(tasks)
        .set({
          pollCount: sql`${tasks.pollCount} + 1`,
          lastPolledAt: now,
          pollLeaseUntil: null,
          // Keep polling only while the task is still pending.
          nextPollAt: sql`case when ${tasks.status} = 'pending' then ${nextPollAt?.getTime() ?? null} else null end`,
        })
        .where(eq(tasks.taskId, result.taskId))
        .run();
      return applied;
    },
    { behavior: "immediate" },
  );
}
