// The write path of results: every callback, replay and poll lands here, as
// one atomic write each (read, decide with lib/tasks/apply.ts, write: planWrite in
// db/client.ts). Callbacks are the hot path, so its statements are prepared
// once per process.
import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { andThen, bound, getDb, planWrite, step, type Db, type Step, type StepResult } from "@/db/client";
import {
  assets,
  deliveries,
  events,
  tasks,
  type AssetType,
  type DeliveryVerdict,
  type SignatureScheme,
  type SignatureVerdict,
  type TaskKind,
  type TaskRow,
  type TaskSource,
} from "@/db/schema";
import { decide } from "@/lib/tasks/apply";
import type { ParsedCallback } from "@/lib/callbacks/schemas";
import type { ProviderResult } from "@/lib/tasks/result";
import { processSingleton } from "@/lib/server/registry";

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
    selectDelivery: db
      .select({ verdict: deliveries.verdict, receivedAt: deliveries.receivedAt })
      .from(deliveries)
      .where(eq(deliveries.id, p("id")))
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
        signature: p("signature"),
        signatureScheme: p("signatureScheme"),
      })
      .prepare(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;
const cache = processSingleton("result-statements", () => ({ prepared: undefined as { db: Db; statements: Statements } | undefined }));

function statements(): Statements {
  const db = getDb();
  if (cache.prepared?.db !== db) cache.prepared = { db, statements: prepareStatements(db) };
  return cache.prepared.statements;
}

type TaskState = { kind: TaskKind; status: TaskRow["status"]; code: number | null; message: string | null } | undefined;

export type Applied = { verdict: "accepted" | "duplicate"; taskId: string; newAssets: number };

/** A result naming a task of the other kind (a WAV callback for a cover task): nothing is written. */
type KindConflict = { verdict: "rejected"; error: string };

type ApplyPlan = {
  outcome: { verdict: "accepted" | "duplicate"; taskId: string } | KindConflict;
  steps: Step[];
  /** How many assets the steps created, from their results. */
  newAssets: (results: StepResult[]) => number;
};

/** Holds while the task is as it was read (or still unknown): the condition a libSQL batch is fenced by. */
function taskUnchanged(taskId: string, current: TaskState): SQL {
  return current
    ? sql`exists (select 1 from ${tasks} where ${tasks.taskId} = ${taskId} and ${tasks.status} = ${current.status} and ${tasks.code} is ${current.code} and ${tasks.message} is ${current.message})`
    : sql`not exists (select 1 from ${tasks} where ${tasks.taskId} = ${taskId})`;
}

/**
 * The writes that apply a result to its task as it stands (creating the task
 * when unknown): task state, assets and an event. None when the task is of
 * the other kind.
 */
function planApply(
  current: TaskState,
  result: ProviderResult,
  source: TaskSource,
  eventType: string,
  now: Date,
  delivery: { at: Date } | null,
): ApplyPlan {
  const s = statements();
  const taskId = result.taskId;
  if (current && current.kind !== result.kind) {
    const name = (kind: string) => (kind === "cover" ? "cover" : "WAV");
    return {
      outcome: {
        verdict: "rejected",
        error: `data: task ${taskId} is a ${name(current.kind)} task, and this is a ${name(result.kind)} callback`,
      },
      steps: [],
      newAssets: () => 0,
    };
  }
  const known = {
    taskId,
    parentTaskId: result.parentTaskId ?? null,
    audioId: result.audioId ?? null,
    remoteCreatedAt: ms(result.remoteCreatedAt),
  };
  const steps: Step[] = [];
  if (!current) steps.push(bound(s.insertTask, { ...known, kind: result.kind, now, source }));
  const decision = decide(current, result, source, now);
  if (decision.update) {
    const u = decision.update;
    steps.push(
      bound(s.setTaskState, {
        taskId,
        status: u.status,
        code: u.code,
        message: u.message,
        completedAt: ms(u.completedAt),
        filesExpireAt: ms(u.filesExpireAt),
        source: u.lastSource,
      }),
    );
  }
  steps.push(bound(s.touchTask, { ...known, nowMs: now.getTime(), deliveries: delivery ? 1 : 0, lastCallbackAt: ms(delivery?.at) }));
  const type: AssetType = result.kind === "cover" ? "image" : "audio";
  const firstAsset = steps.length;
  decision.urls.forEach((remoteUrl, position) => steps.push(bound(s.insertAsset, { taskId, type, position, remoteUrl, now })));
  const assetCount = decision.urls.length;
  steps.push(bound(s.insertEvent, { taskId, now, type: eventType, detail: decision.detail }));
  return {
    outcome: { verdict: decision.verdict, taskId },
    steps,
    newAssets: (results) => results.slice(firstAsset, firstAsset + assetCount).reduce((n, r) => n + r.changes, 0),
  };
}

export type DeliveryInput = {
  receivedAt: Date;
  kind: TaskKind | null;
  body: string;
  headers: Record<string, string>;
  remoteAddress: string | null;
  path: string;
  signature: SignatureVerdict;
  signatureScheme: SignatureScheme | null;
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
  const s = statements();
  const taskId = parsed.ok ? parsed.result.taskId : null;
  return planWrite(
    () => (taskId === null ? undefined : s.selectTaskState.get({ taskId })),
    (current: TaskState) => {
      const plan: ApplyPlan = parsed.ok
        ? planApply(current, parsed.result, "callback", "callback", delivery.receivedAt, { at: delivery.receivedAt })
        : { outcome: { verdict: "rejected", error: parsed.error }, steps: [], newAssets: () => 0 };
      const outcome = plan.outcome;
      const applied = outcome.verdict === "rejected" ? null : outcome;
      const error = outcome.verdict === "rejected" ? outcome.error : null;
      const insertDelivery = bound(s.insertDelivery, {
        ...delivery,
        kind: parsed.ok ? parsed.result.kind : (parsed.kind ?? delivery.kind),
        headers: JSON.stringify(delivery.headers),
        taskId: applied?.taskId ?? null,
        verdict: outcome.verdict,
        error,
      });
      return {
        steps: [...plan.steps, insertDelivery],
        unchanged: taskId === null ? undefined : taskUnchanged(taskId, current),
        answer: (results): RecordedDelivery => ({
          deliveryId: results.at(-1)!.lastInsertRowid,
          verdict: outcome.verdict,
          error,
          taskId: applied?.taskId ?? null,
          newAssets: plan.newAssets(results),
        }),
      };
    },
  );
}

/** Re-applies a stored delivery. A rejected delivery that now parses becomes accepted and joins its task. */
export async function applyReplay(deliveryId: number, parsed: ParsedCallback, now: Date): Promise<RecordedDelivery | null> {
  const s = statements();
  const taskId = parsed.ok ? parsed.result.taskId : null;
  type State = { delivery: { verdict: DeliveryVerdict; receivedAt: Date } | undefined; task: TaskState };
  return planWrite(
    () =>
      andThen(s.selectDelivery.get({ id: deliveryId }), (delivery) =>
        andThen(taskId === null ? undefined : s.selectTaskState.get({ taskId }), (task): State => ({ delivery, task })),
      ),
    ({ delivery, task }: State) => {
      const nothing = { steps: [], answer: () => null };
      if (!delivery) return nothing;
      // A delivery joins its task (and its count) only once, when it stops being rejected.
      const joins = delivery.verdict === "rejected";
      const unchanged = and(
        sql`exists (select 1 from ${deliveries} where ${deliveries.id} = ${deliveryId} and ${deliveries.verdict} = ${delivery.verdict})`,
        taskId === null ? undefined : taskUnchanged(taskId, task),
      );
      const reject = (error: string) => ({
        // Only a rejected delivery takes the new reason; an accepted one keeps its verdict.
        steps: joins ? [step(getDb().update(deliveries).set({ error }).where(eq(deliveries.id, deliveryId)))] : [],
        unchanged,
        answer: (): RecordedDelivery => ({ deliveryId, verdict: "rejected", error, taskId: null, newAssets: 0 }),
      });
      if (!parsed.ok) return reject(parsed.error);
      const plan = planApply(task, parsed.result, "callback", "replay", now, joins ? { at: delivery.receivedAt } : null);
      const outcome = plan.outcome;
      if (outcome.verdict === "rejected") return reject(outcome.error);
      const join = joins
        ? [
            step(
              getDb()
                .update(deliveries)
                .set({ verdict: outcome.verdict, taskId: outcome.taskId, error: null, kind: parsed.result.kind })
                .where(and(eq(deliveries.id, deliveryId), isNull(deliveries.taskId))),
            ),
          ]
        : [];
      return {
        steps: [...plan.steps, ...join],
        unchanged,
        answer: (results: StepResult[]): RecordedDelivery => ({
          deliveryId,
          verdict: outcome.verdict,
          error: null,
          taskId: outcome.taskId,
          newAssets: plan.newAssets(results),
        }),
      };
    },
  );
}

/** Applies a polled result through the same rules, counting the poll. */
export async function applyPolledResult(result: ProviderResult, now: Date, nextPollAt: Date | null): Promise<Applied> {
  const s = statements();
  return planWrite(
    () => s.selectTaskState.get({ taskId: result.taskId }),
    (current: TaskState) => {
      const plan = planApply(current, result, "poll", "poll", now, null);
      const outcome = plan.outcome;
      // The poller asks about a task by its own kind, so the kinds always agree.
      if (outcome.verdict === "rejected") throw new Error(outcome.error);
      const countPoll = getDb()
        .update(tasks)
        .set({
          pollCount: sql`${tasks.pollCount} + 1`,
          lastPolledAt: now,
          pollLeaseUntil: null,
          // Keep polling only while the task is still pending.
          nextPollAt: sql`case when ${tasks.status} = 'pending' then ${ms(nextPollAt)} else null end`,
        })
        .where(eq(tasks.taskId, result.taskId));
      return {
        steps: [...plan.steps, step(countPoll)],
        unchanged: taskUnchanged(result.taskId, current),
        answer: (results): Applied => ({ ...outcome, newAssets: plan.newAssets(results) }),
      };
    },
  );
}
