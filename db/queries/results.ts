// The write path of results: every callback, replay and poll lands here, in
// one transaction each, through the rules of lib/apply.ts. Callbacks are the
// hot path, so its statements are prepared once per process.
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, writeTransaction, type Db } from "@/db/client";
import { assets, deliveries, events, tasks, type AssetType, type DeliveryVerdict, type TaskKind, type TaskSource } from "@/db/schema";
import { decide } from "@/lib/apply";
import type { ParsedCallback } from "@/lib/suno/callbacks";
import type { ProviderResult } from "@/lib/suno/result";

const p = sql.placeholder;
/**
 * A value passed to SQLite as is, bypassing the column encoder: update sets
 * take no bare placeholders, and the time encoder cannot take null. Times go
 * in as epoch ms.
 */
const raw = (name: string) => sql`${p(name)}`;
const ms = (d: Date | null | undefined) => d?.getTime() ?? null;

function prepareStatements(db: Db) {
  return {
    insertTask: db
      .insert(tasks)
      .values({
        taskId: p("taskId"),
        kind: p("kind"),
        createdAt: p("now"),
        updatedAt: p("now"),
        parentTaskId: p("parentTaskId"),
        audioId: p("audioId"),
        remoteCreatedAt: raw("remoteCreatedAt"),
        lastSource: p("source"),
      })
      .onConflictDoNothing()
      .prepare(),
    selectTaskState: db
      .select({ kind: tasks.kind, status: tasks.status, code: tasks.code, message: tasks.message })
      .from(tasks)
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    setTaskState: db
      .update(tasks)
      .set({
        status: raw("status"),
        code: raw("code"),
        message: raw("message"),
        completedAt: raw("completedAt"),
        filesExpireAt: raw("filesExpireAt"),
        lastSource: raw("source"),
        // A final state needs no more polling.
        nextPollAt: null,
      })
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    touchTask: db
      .update(tasks)
      .set({
        parentTaskId: sql`coalesce(${tasks.parentTaskId}, ${p("parentTaskId")})`,
        audioId: sql`coalesce(${tasks.audioId}, ${p("audioId")})`,
        remoteCreatedAt: sql`coalesce(${tasks.remoteCreatedAt}, ${p("remoteCreatedAt")})`,
        deliveryCount: sql`${tasks.deliveryCount} + ${p("deliveries")}`,
        lastCallbackAt: sql`coalesce(${p("lastCallbackAt")}, ${tasks.lastCallbackAt})`,
        updatedAt: raw("nowMs"),
      })
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    insertAsset: db
      .insert(assets)
      .values({
        taskId: p("taskId"),
        type: p("type"),
        position: p("position"),
        remoteUrl: p("remoteUrl"),
        nextAttemptAt: p("now"),
        createdAt: p("now"),
        updatedAt: p("now"),
      })
      .onConflictDoNothing()
      .prepare(),
    insertEvent: db
      .insert(events)
      .values({ taskId: p("taskId"), at: p("now"), type: p("type"), detail: p("detail") })
      .prepare(),
    insertDelivery: db
      .insert(deliveries)
      .values({
        receivedAt: p("receivedAt"),
        kind: p("kind"),
        taskId: p("taskId"),
        verdict: p("verdict"),
        error: p("error"),
        body: p("body"),
        headers: p("headers"),
        remoteAddress: p("remoteAddress"),
        path: p("path"),
      })
      .prepare(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;
const cache = globalThis as unknown as { sunoStatements?: { db: Db; statements: Statements } };

function statements(): Statements {
  const db = getDb();
  if (cache.sunoStatements?.db !== db) cache.sunoStatements = { db, statements: prepareStatements(db) };
  return cache.sunoStatements.statements;
}

export type Applied = { verdict: "accepted" | "duplicate"; taskId: string; newAssets: number };

/** A result naming a task of the other kind (a WAV callback for a cover task): nothing was written. */
type KindConflict = { verdict: "rejected"; error: string };

/**
 * Applies a result to its task (creating the task when unknown), records assets
 * and an event. Runs inside the caller's transaction; writes nothing when the
 * task is of the other kind.
 */
function applyInTx(
  result: ProviderResult,
  source: TaskSource,
  eventType: string,
  now: Date,
  delivery: { at: Date } | null,
): Applied | KindConflict {
  const s = statements();
  const taskId = result.taskId;
  const known = {
    taskId,
    parentTaskId: result.parentTaskId ?? null,
    audioId: result.audioId ?? null,
    remoteCreatedAt: ms(result.remoteCreatedAt),
  };
  const current = s.selectTaskState.get({ taskId });
  if (current && current.kind !== result.kind) {
    const name = (kind: string) => (kind === "cover" ? "cover" : "WAV");
    return {
      verdict: "rejected",
      error: `data: task ${taskId} is a ${name(current.kind)} task, and this is a ${name(result.kind)} callback`,
    };
  }
  if (!current) s.insertTask.run({ ...known, kind: result.kind, now, source });
  const decision = decide(current, result, source, now);
  if (decision.update) {
    const u = decision.update;
    s.setTaskState.run({
      taskId,
      status: u.status,
      code: u.code,
      message: u.message,
      completedAt: ms(u.completedAt),
      filesExpireAt: ms(u.filesExpireAt),
      source: u.lastSource,
    });
  }
  s.touchTask.run({ ...known, nowMs: now.getTime(), deliveries: delivery ? 1 : 0, lastCallbackAt: ms(delivery?.at) });

  const type: AssetType = result.kind === "cover" ? "image" : "audio";
  let newAssets = 0;
  decision.urls.forEach((remoteUrl, position) => {
    newAssets += s.insertAsset.run({ taskId, type, position, remoteUrl, now }).changes;
  });
  s.insertEvent.run({ taskId, now, type: eventType, detail: decision.detail });
  return { verdict: decision.verdict, taskId, newAssets };
}

export type DeliveryInput = {
  receivedAt: Date;
  kind: TaskKind | null;
  body: string;
  headers: Record<string, string>;
  remoteAddress: string | null;
  path: string;
};

export type RecordedDelivery = {
  deliveryId: number;
  verdict: DeliveryVerdict;
  error: string | null;
  taskId: string | null;
  newAssets: number;
};

/** Stores a delivery and applies what it says, atomically: either both are durable or neither. */
export async function recordCallback(delivery: DeliveryInput, parsed: ParsedCallback): Promise<RecordedDelivery> {
  return writeTransaction(() => {
    const outcome: Applied | KindConflict = parsed.ok
      ? applyInTx(parsed.result, "callback", "callback", delivery.receivedAt, { at: delivery.receivedAt })
      : { verdict: "rejected", error: parsed.error };
    const applied = outcome.verdict === "rejected" ? null : outcome;
    const error = outcome.verdict === "rejected" ? outcome.error : null;
    const verdict = outcome.verdict;
    const inserted = statements().insertDelivery.run({
      ...delivery,
      kind: parsed.ok ? parsed.result.kind : (parsed.kind ?? delivery.kind),
      headers: JSON.stringify(delivery.headers),
      taskId: applied?.taskId ?? null,
      verdict,
      error,
    });
    return {
      deliveryId: Number(inserted.lastInsertRowid),
      verdict,
      error,
      taskId: applied?.taskId ?? null,
      newAssets: applied?.newAssets ?? 0,
    };
  });
}

/** Re-applies a stored delivery. A rejected delivery that now parses becomes accepted and joins its task. */
export async function applyReplay(deliveryId: number, parsed: ParsedCallback, now: Date): Promise<RecordedDelivery | null> {
  return writeTransaction((tx) => {
    const delivery = tx.select().from(deliveries).where(eq(deliveries.id, deliveryId)).get();
    if (!delivery) return null;
    // A delivery joins its task (and its count) only once, when it stops being rejected.
    const joins = delivery.verdict === "rejected";
    const reject = (error: string) => {
      // Only a rejected delivery takes the new reason; an accepted one keeps its verdict.
      if (joins) tx.update(deliveries).set({ error }).where(eq(deliveries.id, deliveryId)).run();
      return { deliveryId, verdict: "rejected" as const, error, taskId: null, newAssets: 0 };
    };
    if (!parsed.ok) return reject(parsed.error);
    const applied = applyInTx(parsed.result, "callback", "replay", now, joins ? { at: delivery.receivedAt } : null);
    if (applied.verdict === "rejected") return reject(applied.error);
    if (joins) {
      tx.update(deliveries)
        .set({ verdict: applied.verdict, taskId: applied.taskId, error: null, kind: parsed.result.kind })
        .where(and(eq(deliveries.id, deliveryId), isNull(deliveries.taskId)))
        .run();
    }
    return { deliveryId, verdict: applied.verdict, error: null, taskId: applied.taskId, newAssets: applied.newAssets };
  });
}

/** Applies a polled result through the same rules, counting the poll. */
export async function applyPolledResult(result: ProviderResult, now: Date, nextPollAt: Date | null): Promise<Applied> {
  return writeTransaction((tx) => {
    const applied = applyInTx(result, "poll", "poll", now, null);
    // The poller asks about a task by its own kind, so the kinds always agree.
    if (applied.verdict === "rejected") throw new Error(applied.error);
    tx.update(tasks)
      .set({
        pollCount: sql`${tasks.pollCount} + 1`,
        lastPolledAt: now,
        pollLeaseUntil: null,
        // Keep polling only while the task is still pending.
        nextPollAt: sql`case when ${tasks.status} = 'pending' then ${ms(nextPollAt)} else null end`,
      })
      .where(eq(tasks.taskId, result.taskId))
      .run();
    return applied;
  });
}
