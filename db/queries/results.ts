// The write path of task state: every callback, replay, poll and submission
// lands here, as one atomic write each (read the task, decide with
// lib/core/rules.ts, write what it answers: planWrite in db/client.ts).
// Callbacks are the hot path, so the statements are prepared once per process.
import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import {
  andThen,
  bound,
  getDb,
  planWrite,
  planWriteOnGuess,
  read,
  step,
  type Db,
  type StateRead,
  type Step,
  type StepResult,
  type WritePlan,
} from "@/db/client";
import { assets, deliveries, events, outputs, tasks, tracks } from "@/db/schema";
import type { DeliveryVerdict, SignatureScheme, SignatureVerdict, TaskKind } from "@/lib/core/enums";
import { decide, type AssetKey, type Decision, type Incoming, type PollDue, type PollNow, type TaskState } from "@/lib/core/rules";
import type { ParsedCallback, ProviderResult } from "@/lib/core/result";
import { processSingleton } from "@/lib/core/registry";

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
    selectTask: db
      .select({
        kind: tasks.kind,
        status: tasks.status,
        stage: tasks.stage,
        code: tasks.code,
        message: tasks.message,
        createdAt: tasks.createdAt,
        nextPollAt: tasks.nextPollAt,
        // One read for the task and its assets (a JSON array of [position, role, trackId]). Spelled
        // out: Drizzle leaves columns unqualified here, and task_id would name assets' own.
        assets: sql<string>`(select json_group_array(json_array(a.position, a.role, a.track_id)) from assets a where a.task_id = tasks.task_id)`,
      })
      .from(tasks)
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    // A new task, written whole: one statement where an existing task takes two updates (and the
    // insights' triggers run once). Made only when the task's read, in the same transaction or behind
    // the write's guard, found none: a task there after all fails the write rather than being overwritten.
    insertTask: db
      .insert(tasks)
      .values({
        taskId: p("taskId"),
        kind: p("kind"),
        status: p("status"),
        stage: p("stage"),
        code: p("code"),
        message: p("message"),
        parentTaskId: p("parentTaskId"),
        audioId: p("audioId"),
        createdAt: p("now"),
        updatedAt: p("now"),
        completedAt: raw("completedAt"),
        lastSource: p("source"),
        deliveryCount: p("deliveries"),
        lastCallbackAt: raw("lastCallbackAt"),
        remoteCreatedAt: raw("remoteCreatedAt"),
        filesExpireAt: raw("filesExpireAt"),
        pollCount: p("polls"),
        lastPolledAt: raw("lastPolledAt"),
        nextPollAt: raw("nextPollAt"),
        pollLeaseUntil: raw("lease"),
      })
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
      })
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    // Runs on every write: what the task learned, the counters, the poll schedule and lease.
    touchTask: db
      .update(tasks)
      .set({
        kind: sql`coalesce(${p("retype")}, ${tasks.kind})`,
        stage: sql`coalesce(${p("stage")}, ${tasks.stage})`,
        parentTaskId: sql`coalesce(${tasks.parentTaskId}, ${p("parentTaskId")})`,
        audioId: sql`coalesce(${tasks.audioId}, ${p("audioId")})`,
        remoteCreatedAt: sql`coalesce(${tasks.remoteCreatedAt}, ${p("remoteCreatedAt")})`,
        deliveryCount: sql`${tasks.deliveryCount} + ${p("deliveries")}`,
        lastCallbackAt: sql`coalesce(${p("lastCallbackAt")}, ${tasks.lastCallbackAt})`,
        pollCount: sql`${tasks.pollCount} + ${p("polls")}`,
        lastPolledAt: sql`coalesce(${p("lastPolledAt")}, ${tasks.lastPolledAt})`,
        nextPollAt: sql`case when ${p("keepNextPoll")} then ${tasks.nextPollAt} else ${p("nextPollAt")} end`,
        pollLeaseUntil: sql`case when ${p("setLease")} then ${p("lease")} else ${tasks.pollLeaseUntil} end`,
        // When the task's result or files last changed: notifications take it as when a result was learned.
        updatedAt: sql`case when ${p("changed")} then ${p("nowMs")} else ${tasks.updatedAt} end`,
      })
      .where(eq(tasks.taskId, p("taskId")))
      .prepare(),
    insertAsset: db
      .insert(assets)
      .values({
        taskId: p("taskId"),
        type: p("type"),
        role: p("role"),
        trackId: p("trackId"),
        position: p("position"),
        remoteUrl: p("remoteUrl"),
        nextAttemptAt: p("now"),
        createdAt: p("now"),
        updatedAt: p("now"),
      })
      .onConflictDoNothing()
      .prepare(),
    // A track listed again (a `complete` after its `first`) takes the newer description.
    upsertTrack: db
      .insert(tracks)
      .values({
        taskId: p("taskId"),
        trackId: p("trackId"),
        position: p("position"),
        title: p("title"),
        tags: p("tags"),
        prompt: p("prompt"),
        modelName: p("modelName"),
        duration: p("duration"),
        createTime: p("createTime"),
      })
      .onConflictDoUpdate({
        target: [tracks.taskId, tracks.trackId],
        set: {
          position: sql`excluded.position`,
          title: sql`excluded.title`,
          tags: sql`excluded.tags`,
          prompt: sql`excluded.prompt`,
          modelName: sql`excluded.model_name`,
          duration: sql`excluded.duration`,
          createTime: sql`excluded.create_time`,
        },
      })
      .prepare(),
    setOutputs: db
      .insert(outputs)
      .values({ taskId: p("taskId"), lyrics: p("lyrics"), midi: p("midi") })
      .onConflictDoUpdate({ target: outputs.taskId, set: { lyrics: sql`excluded.lyrics`, midi: sql`excluded.midi` } })
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
        pathKind: p("pathKind"),
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

type TaskRow = Awaited<ReturnType<Statements["selectTask"]["all"]>>[number];

/** What the rules need of a task, or undefined when unknown; synchronous on better-sqlite3 (inside planWrite's transaction). */
function readTask(s: Statements, taskId: string): TaskState | undefined | Promise<TaskState | undefined> {
  return andThen(s.selectTask.get({ taskId }), taskState);
}

/** The same read, as a statement that can ride along with a write (planWriteOnGuess). */
function taskRead(s: Statements, taskId: string): StateRead<TaskRow, TaskState | undefined> {
  return { read: read(s.selectTask, { taskId }), state: (rows) => taskState(rows[0]) };
}

function taskState(row: TaskRow | undefined): TaskState | undefined {
  if (!row) return undefined;
  const assets = (JSON.parse(row.assets) as [number, AssetKey["role"], string | null][]).map(([position, role, trackId]): AssetKey => ({
    position,
    role,
    trackId,
  }));
  return { ...row, assets };
}

/** Holds while the task is as it was read (or still unknown): the condition a libSQL batch is fenced by. */
function taskUnchanged(taskId: string, current: TaskState | undefined): SQL {
  // New files take positions after those read: the count fences a file added meanwhile.
  return current
    ? sql`exists (select 1 from ${tasks} where ${tasks.taskId} = ${taskId} and ${tasks.kind} = ${current.kind} and ${tasks.status} = ${current.status} and ${tasks.stage} is ${current.stage} and ${tasks.code} is ${current.code} and ${tasks.message} is ${current.message} and ${tasks.nextPollAt} is ${ms(current.nextPollAt)}) and (select count(*) from ${assets} where ${assets.taskId} = ${taskId}) = ${current.assets.length}`
    : sql`not exists (select 1 from ${tasks} where ${tasks.taskId} = ${taskId})`;
}

/** Bookkeeping written beside a decision: what the task learned, the counters, the poll lease. */
type Extras = {
  known?: { parentTaskId?: string | null; audioId?: string | null; remoteCreatedAt?: Date | null };
  /** A delivery that joins the task (counted once). */
  delivery?: { at: Date } | null;
  /** A poll was sent (counted). */
  polled?: boolean;
  /** The poll lease afterwards (null ends it); left as it is when absent. */
  lease?: Date | null;
};

type Accepted = Exclude<Decision, { verdict: "rejected" }>;
type TaskWrite = { steps: Step[]; newAssets: (results: StepResult[]) => number };

/** The steps that write a decision about `taskId`. */
function decisionSteps(s: Statements, taskId: string, decision: Accepted, now: Date, extras: Extras): TaskWrite {
  const steps: Step[] = [];
  const state = decision.state;
  const learned = {
    taskId,
    parentTaskId: extras.known?.parentTaskId ?? null,
    audioId: extras.known?.audioId ?? null,
    remoteCreatedAt: ms(extras.known?.remoteCreatedAt),
    deliveries: extras.delivery ? 1 : 0,
    lastCallbackAt: ms(extras.delivery?.at),
    polls: extras.polled ? 1 : 0,
    lastPolledAt: extras.polled ? now.getTime() : null,
    lease: ms(extras.lease),
  };
  if (decision.create) {
    steps.push(
      bound(s.insertTask, {
        ...learned,
        kind: decision.retype ?? decision.create.kind,
        status: state?.status ?? "pending",
        stage: decision.stage,
        code: state?.code ?? null,
        message: state?.message ?? null,
        completedAt: ms(state?.completedAt),
        filesExpireAt: ms(state?.filesExpireAt),
        source: state?.lastSource ?? decision.create.lastSource,
        nextPollAt: decision.nextPollAt === "keep" ? null : ms(decision.nextPollAt),
        now,
      }),
    );
  } else {
    if (state) {
      steps.push(
        bound(s.setTaskState, {
          taskId,
          status: state.status,
          code: state.code,
          message: state.message,
          completedAt: ms(state.completedAt),
          filesExpireAt: ms(state.filesExpireAt),
          source: state.lastSource,
        }),
      );
    }
    steps.push(
      bound(s.touchTask, {
        ...learned,
        retype: decision.retype,
        stage: decision.stage,
        // SQLite takes no booleans: 1 and 0.
        keepNextPoll: decision.nextPollAt === "keep" ? 1 : 0,
        nextPollAt: decision.nextPollAt === "keep" ? null : ms(decision.nextPollAt),
        setLease: extras.lease === undefined ? 0 : 1,
        // A duplicate, a replay or a poll that changes nothing leaves it: a destination added since must not hear of an old result.
        changed: state || decision.stage || decision.retype || decision.assets.length > 0 ? 1 : 0,
        nowMs: now.getTime(),
      }),
    );
  }
  const firstAsset = steps.length;
  for (const a of decision.assets) steps.push(bound(s.insertAsset, { taskId, ...a, now }));
  for (const t of decision.tracks) steps.push(bound(s.upsertTrack, { taskId, ...t }));
  if (decision.outputs) {
    const { lyrics, midi } = decision.outputs;
    steps.push(bound(s.setOutputs, { taskId, lyrics: lyrics && JSON.stringify(lyrics), midi: midi && JSON.stringify(midi) }));
  }
  for (const e of decision.events) steps.push(bound(s.insertEvent, { taskId, now, ...e }));
  const count = decision.assets.length;
  return { steps, newAssets: (results) => results.slice(firstAsset, firstAsset + count).reduce((n, r) => n + r.changes, 0) };
}

const known = (result: ProviderResult) => ({
  parentTaskId: result.parentTaskId,
  audioId: result.audioId,
  remoteCreatedAt: result.remoteCreatedAt,
});

/**
 * Reads the task, decides `incoming` with the rules and writes the decision,
 * atomically. Answers the decision and how many assets it created; a rejected
 * decision, or a poll to send, writes nothing.
 */
export async function applyToTask(
  taskId: string,
  incoming: Exclude<Incoming, PollDue>,
  now: Date,
  extras: Extras,
): Promise<{ decision: Decision; newAssets: number }>;
export async function applyToTask(
  taskId: string,
  incoming: Incoming,
  now: Date,
  extras: Extras,
): Promise<{ decision: Decision | PollNow; newAssets: number }>;
export async function applyToTask(
  taskId: string,
  incoming: Incoming,
  now: Date,
  extras: Extras,
): Promise<{ decision: Decision | PollNow; newAssets: number }> {
  const s = statements();
  return planWrite<TaskState | undefined, { decision: Decision | PollNow; newAssets: number }>(
    () => readTask(s, taskId),
    (current) => {
      const decision = decide(current, incoming, now);
      if (decision.verdict === "rejected" || decision.verdict === "poll") return { steps: [], answer: () => ({ decision, newAssets: 0 }) };
      const write = decisionSteps(s, taskId, decision, now, extras);
      return {
        steps: write.steps,
        unchanged: taskUnchanged(taskId, current),
        answer: (results) => ({ decision, newAssets: write.newAssets(results) }),
      };
    },
  );
}

export type Applied = { verdict: "accepted" | "duplicate"; taskId: string; newAssets: number };

export type DeliveryInput = {
  receivedAt: Date;
  /** The kind fixed by the receiving path (/api/callbacks/<kind>); null for /api/callbacks. */
  pathKind: TaskKind | null;
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

const NO_TASK_WRITE: TaskWrite = { steps: [], newAssets: () => 0 };

/** Stores a delivery and applies what it says, atomically: either both are durable or neither. */
export function recordCallback(delivery: DeliveryInput, parsed: ParsedCallback): Promise<RecordedDelivery> {
  const s = statements();
  const taskId = parsed.ok ? parsed.result.taskId : null;
  const at = delivery.receivedAt;
  const plan = (current: TaskState | undefined): WritePlan<RecordedDelivery> => {
    const decision: Decision = parsed.ok
      ? decide(current, { via: "callback", result: parsed.result }, at)
      : { verdict: "rejected", error: parsed.error };
    const write =
      decision.verdict === "rejected" || !parsed.ok
        ? NO_TASK_WRITE
        : decisionSteps(s, parsed.result.taskId, decision, at, { known: known(parsed.result), delivery: { at } });
    const error = decision.verdict === "rejected" ? decision.error : null;
    const joined = decision.verdict === "rejected" ? null : taskId;
    const insertDelivery = bound(s.insertDelivery, {
      ...delivery,
      kind: parsed.ok ? parsed.result.kind : parsed.kind,
      headers: JSON.stringify(delivery.headers),
      taskId: joined,
      verdict: decision.verdict,
      error,
    });
    return {
      steps: [...write.steps, insertDelivery],
      unchanged: taskId === null ? undefined : taskUnchanged(taskId, current),
      answer: (results): RecordedDelivery => ({
        deliveryId: results.at(-1)!.lastInsertRowid,
        verdict: decision.verdict,
        error,
        taskId: joined,
        newAssets: write.newAssets(results),
      }),
    };
  };
  if (taskId === null) return planWrite(() => undefined, plan);
  // On libSQL the write goes with the task's read, one request when the task is as guessed.
  return planWriteOnGuess(taskRead(s, taskId), lastWritten.get(taskId), plan, (state) => rememberWritten(taskId, state));
}

/** Tasks whose last write this process remembers; the oldest are forgotten first. */
const LAST_WRITTEN_MAX = 10_000;

/**
 * The state this process's last callback write left each recent task in
 * (libSQL): the guess for the task's next callback (a music task sends three).
 * A task not in it is guessed new: most callbacks are the provider's first
 * word on their task (a cover's only one). A wrong guess writes nothing
 * (the write is guarded) and costs the request it was meant to save.
 */
const lastWritten = processSingleton("task-states-written", () => new Map<string, TaskState | undefined>());

function rememberWritten(taskId: string, state: TaskState | undefined): void {
  lastWritten.delete(taskId);
  lastWritten.set(taskId, state);
  if (lastWritten.size > LAST_WRITTEN_MAX) lastWritten.delete(lastWritten.keys().next().value!);
}

/** Re-applies a stored delivery. A rejected delivery that now parses becomes accepted and joins its task. */
export async function applyReplay(deliveryId: number, parsed: ParsedCallback, now: Date): Promise<RecordedDelivery | null> {
  const s = statements();
  const taskId = parsed.ok ? parsed.result.taskId : null;
  type State = { delivery: { verdict: DeliveryVerdict; receivedAt: Date } | undefined; task: TaskState | undefined };
  return planWrite(
    () =>
      andThen(s.selectDelivery.get({ id: deliveryId }), (delivery) =>
        andThen(taskId === null ? undefined : readTask(s, taskId), (task): State => ({ delivery, task })),
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
      const { result } = parsed;
      const decision = decide(task, { via: "replay", result }, now);
      if (decision.verdict === "rejected") return reject(decision.error);
      const write = decisionSteps(s, result.taskId, decision, now, {
        known: known(result),
        delivery: joins ? { at: delivery.receivedAt } : null,
      });
      const join = joins
        ? [
            step(
              getDb()
                .update(deliveries)
                .set({ verdict: decision.verdict, taskId: result.taskId, error: null, kind: result.kind })
                .where(and(eq(deliveries.id, deliveryId), isNull(deliveries.taskId))),
            ),
          ]
        : [];
      return {
        steps: [...write.steps, ...join],
        unchanged,
        answer: (results: StepResult[]): RecordedDelivery => ({
          deliveryId,
          verdict: decision.verdict,
          error: null,
          taskId: result.taskId,
          newAssets: write.newAssets(results),
        }),
      };
    },
  );
}

/** Applies a polled result through the same rules, counting the poll and ending its lease. */
export async function applyPolledResult(result: ProviderResult, now: Date, pollIntervalMs: number): Promise<Applied> {
  const { decision, newAssets } = await applyToTask(result.taskId, { via: "poll", result, pollIntervalMs }, now, {
    known: known(result),
    polled: true,
    lease: null,
  });
  // The poller asks about a task by its own kind, so the kinds always agree.
  if (decision.verdict === "rejected") throw new Error(decision.error);
  return { verdict: decision.verdict, taskId: result.taskId, newAssets };
}
