// The one database handle of the process, on one of two drivers:
// - `file:` → better-sqlite3 in WAL mode (one machine; readers never wait for
//   the writer; a crash, even kill -9, loses no committed write);
// - `libsql://`, `http(s)://` → a libSQL server (Turso, sqld) through
//   @libsql/client's HTTP entry, which needs no native module and lets several
//   instances share one database.
// Every query is awaited. Every write goes through the write path below:
// `write()` / `writeReturning()` for one statement, `atomic()` / `planWrite()`
// for a unit that must be atomic: an immediate transaction (with group commit)
// on better-sqlite3; on libSQL the writer client, a few writes in flight per
// process, and asked again while the server is busy. Drizzle's
// `db.transaction()` is never used: on better-sqlite3 an async callback
// commits what it awaited even when it throws (eslint.config.mjs forbids it,
// and refuses a write run on `getDb()` directly).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { is, Param, Placeholder, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect, type BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { env } from "@/lib/core/env";
import { Batch, pipelineEndpoint, type Condition, type Endpoint, type Outcome } from "./libsql-batch";
import { closeLibsqlStreams, libsqlFetch } from "./libsql-fetch";
import { migrateLibsql, migrateSqlite } from "./migrate";
import { giveTurnBack, newWriteTurn, tryTakeTurn, whenTurnFree, type WriteTurn } from "./write-turn";
import * as schema from "./schema";
import { processSingleton } from "@/lib/core/registry";

/** The Drizzle database on either driver; `await` every query. */
export type Db = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;
export type DatabaseDriver = "better-sqlite3" | "libsql";

type LibsqlClient = import("@libsql/client").Client;

type Handle =
  | {
      driver: "better-sqlite3";
      db: Db;
      sqlite: Database.Database;
      statements: Map<string, Database.Statement>;
      file: string;
      /** Shared with the SQLite thread, which writes the same file (db/write-turn.ts). */
      turn: WriteTurn;
    }
  | {
      driver: "libsql";
      db: Db;
      writerDb: Db;
      client: LibsqlClient;
      writer: LibsqlClient;
      writes: Semaphore;
      /** Where the batches @libsql/client cannot send go (groupBatch): the server and token it reads from DATABASE_URL. */
      pipeline: Endpoint;
    };

const state = processSingleton("database", () => ({
  handle: undefined as Handle | undefined,
  opening: undefined as Promise<Handle> | undefined,
}));

/** Absolute path of the SQLite file named by a `file:` DATABASE_URL. */
export function databaseFile(url = env().DATABASE_URL): string {
  const file = url.replace(/^file:(\/\/)?/, "");
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), file);
}

/** Where the data lives, for the setup page: the file, or the server's URL without credentials. */
export function databaseLocation(): string {
  const url = env().DATABASE_URL;
  if (url.startsWith("file:")) return databaseFile(url);
  const parsed = new URL(url);
  parsed.username = parsed.password = parsed.search = "";
  return parsed.toString();
}

export function databaseDriver(): DatabaseDriver {
  return env().DATABASE_URL.startsWith("file:") ? "better-sqlite3" : "libsql";
}

async function openSqlite(): Promise<Handle> {
  // Loaded only for file: URLs, so a libSQL deployment never needs the native addon.
  const { default: Database } = await import("better-sqlite3");
  const { drizzle } = await import("drizzle-orm/better-sqlite3");
  const file = databaseFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // NORMAL is durable against process crashes in WAL mode; only power loss can
  // take the last commits, and it keeps each commit free of fsync.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrateSqlite(sqlite);
  return { driver: "better-sqlite3", db: db as unknown as Db, sqlite, statements: new Map(), file, turn: newWriteTurn() };
}

async function openLibsql(): Promise<Handle> {
  const { createClient } = await import("@libsql/client/http");
  const { drizzle } = await import("drizzle-orm/libsql/http");
  const { DATABASE_URL, DATABASE_AUTH_TOKEN } = env();
  const connect = () => createClient({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN, fetch: libsqlFetch });
  // Reads and writes on clients of their own: the server runs one write at a
  // time, and reads must never queue behind writes waiting for it.
  const client = connect();
  const writer = connect();
  const db = drizzle(client, { schema });
  const writerDb = drizzle(writer, { schema });
  await migrateLibsql(writer);
  return {
    driver: "libsql",
    db: db as unknown as Db,
    writerDb: writerDb as unknown as Db,
    client,
    writer,
    writes: new Semaphore(LIBSQL_WRITES_IN_FLIGHT),
    pipeline: await pipelineOf(DATABASE_URL, DATABASE_AUTH_TOKEN),
  };
}

/** The server's pipeline endpoint, its URL read as @libsql/client reads it (libsql: is https:, unless ?tls=0). */
async function pipelineOf(url: string, authToken: string | undefined): Promise<Endpoint> {
  const { expandConfig } = await import("@libsql/core/config");
  const { encodeBaseUrl } = await import("@libsql/core/uri");
  const config = expandConfig({ url, authToken }, true);
  return pipelineEndpoint(encodeBaseUrl(config.scheme, config.authority, config.path), config.authToken);
}

/** Opens the database and applies pending migrations; every entry point awaits this once before serving. */
export async function openDatabase(): Promise<void> {
  if (state.handle) return;
  state.opening ??= databaseDriver() === "libsql" ? openLibsql() : openSqlite();
  try {
    state.handle = await state.opening;
  } finally {
    state.opening = undefined;
  }
}

function handle(): Handle {
  if (!state.handle) throw new Error("The database is not open yet: await openDatabase() at start-up.");
  return state.handle;
}

/** The Drizzle database (after openDatabase), for reads and for building the statements of the write path. */
export function getDb(): Db {
  return handle().db;
}

/**
 * Statements prepared once per process and reused, so a hot path builds no
 * query: `build` runs again only when the database handle changes (reopened).
 */
export function preparedOnce<T>(name: string, build: (db: Db) => T): () => T {
  const cache = processSingleton(`prepared:${name}`, () => ({ db: undefined as Db | undefined, value: undefined as T | undefined }));
  return () => {
    const db = getDb();
    if (cache.db !== db) cache.value = build(db);
    cache.db = db;
    return cache.value as T;
  };
}

/** The SQLite file and its write turn, for a thread that writes it too; null on libSQL. */
export function sqliteFileAndTurn(): { file: string; turn: WriteTurn } | null {
  const h = handle();
  return h.driver === "better-sqlite3" ? { file: h.file, turn: h.turn } : null;
}

/**
 * The main connection's automatic WAL checkpoint (SQLite's default, after a
 * commit that grew the WAL past 1,000 pages), off while the SQLite thread
 * checkpoints instead (db/sqlite-thread.ts). Nothing on libSQL or once closed.
 */
export function setAutoCheckpoint(on: boolean): void {
  const h = state.handle;
  if (h?.driver === "better-sqlite3" && h.sqlite.open) h.sqlite.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
}

/** Closes the handle (scripts and tests). */
export async function closeDatabase(): Promise<void> {
  const h = state.handle;
  state.handle = undefined;
  if (h?.driver === "better-sqlite3") h.sqlite.close();
  if (h?.driver === "libsql") {
    h.client.close();
    h.writer.close();
    await closeLibsqlStreams();
  }
}

// ---------------------------------------------------------------------------
// Atomic writes

/** One write statement of an atomic unit, already bound to its values. */
export type Step = { sql: string; args: unknown[] };
export type StepResult = { changes: number; lastInsertRowid: number };

/** A query builder (insert, update, delete) as a step. */
export function step(query: { toSQL(): { sql: string; params: unknown[] } }): Step {
  const { sql: text, params } = query.toSQL();
  return { sql: text, args: params };
}

/** A prepared Drizzle statement with its placeholder values as a step (the hot path: no query building). */
export function bound(query: { getQuery(): { sql: string; params: unknown[] } }, values: Record<string, unknown>): Step {
  const { sql: text, params } = query.getQuery();
  return { sql: text, args: filledParams(params, values) };
}

/** Where each parameter of a prepared statement comes from: a placeholder's value (encoded for its column where Drizzle encodes it), or fixed. */
type ParamSource = { name: string; encode: ((value: unknown) => unknown) | null } | { fixed: unknown };
const paramSources = new WeakMap<unknown[], ParamSource[]>();

/**
 * The statement's parameters with `values` put in for its placeholders, as
 * Drizzle's fillPlaceholders, which tells every parameter's type again on
 * each call (a few µs of every callback): here once per prepared statement.
 */
function filledParams(params: unknown[], values: Record<string, unknown>): unknown[] {
  let sources = paramSources.get(params);
  if (!sources) {
    sources = params.map((p): ParamSource => {
      if (is(p, Placeholder)) return { name: p.name, encode: null };
      if (is(p, Param) && is(p.value, Placeholder)) return { name: p.value.name, encode: (v) => p.encoder.mapToDriverValue(v) };
      return { fixed: p };
    });
    paramSources.set(params, sources);
  }
  return sources.map((source) => {
    if ("fixed" in source) return source.fixed;
    if (!(source.name in values)) throw new Error(`No value for placeholder "${source.name}" was provided`);
    const value = values[source.name];
    return source.encode ? source.encode(value) : value;
  });
}

const dialect = new SQLiteSyncDialect();

/** A raw SQL statement (drizzle's `sql` template) as a step. */
export function sqlStep(statement: SQL): Step {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return { sql: text, args: params };
}

/**
 * A step that aborts the whole unit unless `condition` holds when it runs:
 * inserting NULL into a NOT NULL column fails, and a failed statement rolls
 * the unit back. It inserts nothing when the condition holds. A condition
 * that is NULL (e.g. `=` against a row that is gone) does not hold.
 */
function guardStep(condition: SQL): Step {
  return sqlStep(sql`insert into write_guard (never_null) select null where (${condition}) is not true`);
}

const GUARD_FAILED = "write_guard.never_null";

/** A read-then-write lost a race: what it read changed before it wrote. Retried by planWrite. */
class WriteConflict extends Error {}

function runSqliteStep(h: Extract<Handle, { driver: "better-sqlite3" }>, s: Step): StepResult {
  let statement = h.statements.get(s.sql);
  if (!statement) {
    statement = h.sqlite.prepare(s.sql);
    h.statements.set(s.sql, statement);
  }
  const result = statement.run(...(s.args as unknown[]));
  return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
}

/** Atomic batches one process has in flight at once; more only wait for the server's write lock. */
const LIBSQL_WRITES_IN_FLIGHT = 4;
/** A busy server (its write lock held by another instance) is asked again for this long. */
const BUSY_RETRY_MS = 10_000;

type LibsqlHandle = Extract<Handle, { driver: "libsql" }>;

/** SQLITE_BUSY, from the client or wrapped by Drizzle (its error's `cause`). */
function isBusy(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if ((e as { code?: unknown }).code === "SQLITE_BUSY") return true;
  return false;
}

/**
 * Runs a write on the libSQL writer: at most LIBSQL_WRITES_IN_FLIGHT at once,
 * asked again while the server answers SQLITE_BUSY (its write lock is held
 * elsewhere). A busy statement or batch did nothing (a batch is rolled back),
 * so asking again is safe.
 */
async function onWriter<T>(h: LibsqlHandle, work: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + BUSY_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await h.writes.run(work);
    } catch (error) {
      if (!isBusy(error) || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * attempt)));
    }
  }
}

async function runLibsqlBatch(h: LibsqlHandle, steps: Step[]): Promise<StepResult[]> {
  const statements = steps.map((s) => ({ sql: s.sql, args: s.args as import("@libsql/client").InArgs }));
  try {
    const results = await onWriter(h, () => h.writer.batch(statements, "write"));
    return results.map((r) => ({ changes: r.rowsAffected, lastInsertRowid: Number(r.lastInsertRowid ?? 0) }));
  } catch (error) {
    if (isGuardFailure(error)) throw new WriteConflict("the data changed while writing");
    throw error;
  }
}

const isGuardFailure = (error: unknown) => String((error as Error)?.message ?? error).includes(GUARD_FAILED);

/** At most `size` tasks at once; the others wait in line. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Runs `steps` as one atomic unit: all of them are durable, or none. */
export async function atomic(steps: Step[]): Promise<StepResult[]> {
  if (steps.length === 0) return [];
  const h = handle();
  if (h.driver === "libsql") return runLibsqlBatch(h, steps);
  return writeTransaction(() => steps.map((s) => runSqliteStep(h, s)));
}

/**
 * Runs `steps` as one atomic unit if `condition` holds when it runs, in the
 * same request (a guard step first); answers null, having written nothing,
 * when it does not. For a write decided on a read made earlier (e.g. in a
 * readBatch) whose loser should step aside rather than read again.
 */
export async function atomicIf(condition: SQL, steps: Step[]): Promise<StepResult[] | null> {
  try {
    return (await atomic([guardStep(condition), ...steps])).slice(1);
  } catch (error) {
    if (error instanceof WriteConflict || isGuardFailure(error)) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Reads in one round trip

/** A prepared Drizzle select (`.prepare()`), on either driver. */
type PreparedSelect<T> = { all(values?: Record<string, unknown>): T[] | Promise<T[]>; getQuery(): { sql: string; params: unknown[] } };
/** One read of a batch: a prepared select and its placeholder values. */
export type Read<T> = { query: PreparedSelect<T>; values: Record<string, unknown> };
/** The rows a readBatch of `R` answers, read by read. */
export type ReadRows<R> = { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T[] : never };

/** A read for readBatch: a prepared select (prepare it once per process where it runs often) or a query builder. */
export function read<T>(query: PreparedSelect<T> | { prepare(): PreparedSelect<T> }, values: Record<string, unknown> = {}): Read<T> {
  return { query: "getQuery" in query ? query : query.prepare(), values };
}

/**
 * Runs several reads as one: on libSQL one request (a read batch, one
 * snapshot), which is what a page or a decision costs in round trips; on
 * better-sqlite3 one after the other in a read transaction (the same snapshot).
 * Answers each read's rows, in order.
 */
export async function readBatch<const R extends readonly Read<unknown>[]>(reads: R): Promise<ReadRows<R>> {
  const h = handle();
  if (h.driver === "better-sqlite3") {
    const run = () => reads.map((r) => r.query.all(r.values) as unknown[]);
    // Inside a transaction already (none is open between event-loop turns): run as is.
    return (h.sqlite.inTransaction ? run() : h.sqlite.transaction(run).deferred()) as ReadRows<R>;
  }
  const statements = reads.map((r) => {
    const { sql: text, params } = r.query.getQuery();
    return { sql: text, args: filledParams(params, r.values) as import("@libsql/client").InArgs };
  });
  const results = await h.client.batch(statements, "read");
  // Drizzle's libSQL statement maps a batch's result set as its own batch API does.
  return results.map((result, i) => (reads[i]!.query as unknown as LibsqlMapped).mapAllResult(result, true)) as ReadRows<R>;
}
type LibsqlMapped = { mapAllResult(result: unknown, isFromBatch: boolean): unknown[] };

/** Runs one write statement; answers the rows it changed, the same on both drivers. */
export async function write(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<StepResult> {
  return (await atomic([step(query)]))[0]!;
}

/** A write statement with RETURNING: `.all()` runs it and answers the rows it wrote. */
type Returning<R> = { all(): R[] | Promise<R[]> };

/**
 * Runs one write statement with RETURNING on the write path and answers its
 * rows (Drizzle maps them, as for a read). `build` makes the statement on the
 * database it is given: a Drizzle statement runs on the client that built it,
 * which on libSQL must be the writer.
 */
export async function writeReturning<R>(build: (db: Db) => Returning<R>): Promise<R[]> {
  const h = handle();
  if (h.driver === "libsql") return onWriter(h, async () => build(h.writerDb).all());
  return writeTransaction(() => {
    const rows = build(h.db).all();
    if (rows instanceof Promise) throw new Error("writeReturning: better-sqlite3 runs statements synchronously");
    return rows;
  });
}

/** What a planned write does: its steps, the state it relied on (a condition), and its answer. */
export type WritePlan<T> = {
  steps: Step[];
  /** Holds while the state the plan was made from is unchanged; checked atomically with the steps. */
  unchanged?: SQL;
  answer: (results: StepResult[]) => T;
};

const MAX_CONFLICT_RETRIES = 30;

/**
 * Read, decide, write, atomically. On better-sqlite3 the read runs inside the
 * write transaction (it must be synchronous: prepared `.get()`/`.all()` are).
 * On libSQL the read comes first, and the batch carries a guard that fails it
 * when the state changed meanwhile; then it starts over with a fresh read.
 */
export function planWrite<S, T>(read: () => S | Promise<S>, plan: (state: S) => WritePlan<T>): Promise<T> {
  const h = handle();
  // Not async: on better-sqlite3 (a callback's path) the transaction's promise is the answer, with no promise around it.
  if (h.driver !== "better-sqlite3") return planLibsqlWrite(h, read, plan);
  return writeTransaction(() => {
    const state = read();
    if (state instanceof Promise) throw new Error("planWrite: reads on better-sqlite3 must be synchronous");
    const p = plan(state);
    return p.answer(p.steps.map((s) => runSqliteStep(h, s)));
  });
}

/** planWrite on libSQL: the read, then the batch fenced by its guard, again while the guard fails. */
async function planLibsqlWrite<S, T>(h: LibsqlHandle, read: () => S | Promise<S>, plan: (state: S) => WritePlan<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const p = plan(await read());
    // Nothing to write: no request.
    if (p.steps.length === 0) return p.answer([]);
    const guard = p.unchanged ? [guardStep(p.unchanged)] : [];
    try {
      const results = await runLibsqlBatch(h, [...guard, ...p.steps]);
      return p.answer(results.slice(guard.length));
    } catch (error) {
      if (!(error instanceof WriteConflict) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await conflictPause(attempt);
    }
  }
}

/** Writers that collided should not collide again at once. */
const conflictPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * attempt)));

/** A state read by one select: its rows, and the state they mean. */
export type StateRead<R, S> = { read: Read<R>; state: (rows: R[]) => S };

/**
 * planWrite for a write whose state can be guessed (a callback's task is
 * most often new, or as this process last wrote it). On libSQL the plan made
 * on `guess` goes with the read, in one guarded batch: one request when the
 * guess holds. When it does not, nothing was written and the read came back
 * with the refusal; the plan made on it goes the same way: two requests, as
 * planWrite takes. `written` learns the state the write left (read in the
 * same transaction), the guess for next time. Guessed writes asked for while
 * one is on its way go together in the next request (guessedGroups). On
 * better-sqlite3 the read costs nothing: as planWrite, and `written` is not
 * called.
 */
export function planWriteOnGuess<R, S, T>(
  source: StateRead<R, S>,
  guess: S,
  plan: (state: S) => WritePlan<T>,
  written: (state: S) => void,
): Promise<T> {
  const h = handle();
  if (h.driver === "better-sqlite3") return planWrite(() => source.state(source.read.query.all(source.read.values) as R[]), plan);
  return guessedLibsqlWrite(h, source, guess, plan, written);
}

/** planWriteOnGuess on libSQL: the plan made on the guess goes with the read; on a refusal, the plan made on what was found. */
async function guessedLibsqlWrite<R, S, T>(
  h: LibsqlHandle,
  source: StateRead<R, S>,
  guess: S,
  plan: (state: S) => WritePlan<T>,
  written: (state: S) => void,
): Promise<T> {
  let state = guess;
  for (let attempt = 1; ; attempt++) {
    // A group's writes are of any state and answer types: each gets back what its own plan and read made.
    const unit = { source, plan: plan(state) } as unknown as GuessedWrite;
    const outcome = (await guessedWrite(h, unit)) as GuessOutcome<S, T>;
    if ("answer" in outcome) {
      written(outcome.after);
      return outcome.answer;
    }
    state = outcome.found;
    // The first refusal only says the guess was wrong; a later one is a race with another writer.
    if (attempt === 1) continue;
    if (attempt >= MAX_CONFLICT_RETRIES) throw new WriteConflict("the data changed while writing");
    await conflictPause(attempt);
  }
}

/** A guessed write: the state's read, and the plan made on the guess. */
type GuessedWrite = { source: StateRead<unknown, unknown>; plan: WritePlan<unknown> };
/** Written (with the state it left), or refused (with the state found instead). */
type GuessOutcome<S, T> = { answer: T; after: S } | { found: S };
/** What became of one write of a group's batch; `again` when another's failure rolled it back. */
type UnitOutcome = GuessOutcome<unknown, unknown> | { failed: unknown } | { again: true };
type Waiting = { unit: GuessedWrite; resolve: (outcome: GuessOutcome<unknown, unknown>) => void; reject: (error: unknown) => void };

/** Group batches of guessed writes one process has on their way at most. */
const MAX_GROUPS_IN_FLIGHT = LIBSQL_WRITES_IN_FLIGHT;
/** Guessed writes one batch carries at most. */
const MAX_GROUP = 64;
/**
 * How long after a batch was sent the writes asked for meanwhile wait for it
 * to return and go together in the next. A nearby server answers within it
 * (a few ms on loopback: the writes are grouped, fewer requests and commits);
 * on a far one (Turso, 5–80 ms per round trip) a write asked for later goes
 * at once in a batch of its own, beside the one on its way, rather than
 * waiting a whole round trip for it.
 */
const JOIN_WINDOW_MS = 5;

/**
 * Group commit on libSQL: a guessed write goes at once when no batch is on
 * its way (or the last one left more than JOIN_WINDOW_MS ago), else with the
 * others that came meanwhile, in one request and one transaction (the server
 * runs one write transaction at a time anyway). Under load each request then
 * carries several callbacks: fewer requests, commits and HTTP exchanges per
 * callback; alone, a write goes as before.
 */
const guessedGroups = processSingleton("libsql-guessed-groups", () => ({
  waiting: [] as Waiting[],
  inFlight: 0,
  lastSentAt: -Infinity,
  recheck: undefined as NodeJS.Timeout | undefined,
}));

function guessedWrite(h: LibsqlHandle, unit: GuessedWrite): Promise<GuessOutcome<unknown, unknown>> {
  return new Promise((resolve, reject) => {
    guessedGroups.waiting.push({ unit, resolve, reject });
    sendGroups(h);
  });
}

function sendGroups(h: LibsqlHandle): void {
  const groups = guessedGroups;
  while (groups.waiting.length > 0 && groups.inFlight < MAX_GROUPS_IN_FLIGHT) {
    const young = JOIN_WINDOW_MS - (performance.now() - groups.lastSentAt);
    if (groups.inFlight > 0 && young > 0) {
      // The batch on its way may be back any moment: these go in the next, or on their own once the window is over.
      groups.recheck ??= setTimeout(() => {
        groups.recheck = undefined;
        sendGroups(h);
      }, young).unref();
      return;
    }
    const group = groups.waiting.splice(0, MAX_GROUP);
    groups.inFlight++;
    groups.lastSentAt = performance.now();
    void sendGroup(h, group).finally(() => {
      groups.inFlight--;
      sendGroups(h);
    });
  }
}

async function sendGroup(h: LibsqlHandle, group: Waiting[]): Promise<void> {
  let outcomes: UnitOutcome[];
  try {
    outcomes = await onWriter(h, () =>
      groupBatch(
        h,
        group.map((w) => w.unit),
      ),
    );
  } catch (error) {
    for (const w of group) w.reject(error);
    return;
  }
  const again: Waiting[] = [];
  outcomes.forEach((outcome, i) => {
    const w = group[i]!;
    if ("again" in outcome) again.push(w);
    else if ("failed" in outcome) w.reject(outcome.failed);
    else w.resolve(outcome);
  });
  // Rolled back with a write that failed (answered with its error): they go first in the next batch.
  guessedGroups.waiting.unshift(...again);
}

/**
 * One request, one transaction: for each write in turn, the read, the guarded
 * steps and the read again. A write whose guard refuses it has written
 * nothing (the guard is its first write and fails alone) and the next one
 * goes on; any other failed step ends the batch, rolled back, and the other
 * writes are to be sent again. No savepoint per write: a refusal undoes
 * nothing, and other failures are rare.
 */
async function groupBatch(h: LibsqlHandle, units: GuessedWrite[]): Promise<UnitOutcome[]> {
  const batch = new Batch();
  const ok = (step: number): Condition => ({ type: "ok", step });
  const failed = (step: number): Condition => ({ type: "error", step });
  const begin = batch.add("BEGIN IMMEDIATE", []);
  /** Holds when the writes so far each went through or were refused by their guard. */
  let clean = ok(begin);
  const sent = units.map(({ source, plan }) => {
    const { sql: readSql, params } = source.read.query.getQuery();
    const readArgs = filledParams(params, source.read.values);
    let last = -1;
    // Each statement runs only when all before it in this write went well.
    const next = (sql: string, args: unknown[], rows = false) => (last = batch.add(sql, args, { rows, when: last < 0 ? clean : ok(last) }));
    const before = next(readSql, readArgs, true);
    const check = plan.unchanged ? guardStep(plan.unchanged) : null;
    const guard = check ? next(check.sql, check.args) : null;
    const steps = plan.steps.map((s) => next(s.sql, s.args));
    const after = next(readSql, readArgs, true);
    if (guard === null) {
      clean = ok(after);
    } else {
      // sqld counts a skipped step as failed: the guard refused if it ran (the read before it went well) and failed.
      const refused: Condition = { type: "and", conds: [ok(before), failed(guard)] };
      // A write refused by its guard lets the next go on while the transaction is still open (an error
      // such as a full disk ends it): BEGIN, which fails inside a transaction, tells.
      const probe = batch.add("BEGIN", [], { when: refused });
      clean = { type: "or", conds: [ok(after), { type: "and", conds: [refused, failed(probe)] }] };
    }
    return { source, plan, before, guard, steps, after };
  });
  const commit = batch.add("COMMIT", [], { when: clean });
  batch.add("ROLLBACK", [], { when: { type: "not", cond: ok(commit) } });
  const outcomes = await batch.send(h.pipeline);
  const began = outcomes[begin]!;
  if (began.status === "failed") throw began.error;
  const done = outcomes[commit]!;
  if (done.status === "failed") throw done.error;
  const isCommitted = done.status === "ok";

  const results = sent.map(({ source, plan, before, guard, steps, after }): UnitOutcome => {
    const own = [before, ...(guard === null ? [] : [guard]), ...steps, after].map((i) => outcomes[i]!);
    const guardOutcome = guard === null ? null : outcomes[guard]!;
    const refused = guardOutcome?.status === "failed" && isGuardFailure(guardOutcome.error);
    const error = own.find((o) => o.status === "failed");
    if (error && !refused) return { failed: (error as Extract<Outcome, { status: "failed" }>).error };
    // Read in a transaction that was rolled back, the state may hold another write's steps that never happened.
    if (!isCommitted) return { again: true };
    const stateOf = (i: number) => {
      const { rows } = outcomes[i] as Extract<Outcome, { status: "ok" }>;
      return source.state((source.read.query as unknown as LibsqlMapped).mapAllResult({ rows }, true));
    };
    if (refused) return { found: stateOf(before) };
    try {
      const stepResults = steps.map((i) => {
        const { changes, lastInsertRowid } = outcomes[i] as Extract<Outcome, { status: "ok" }>;
        return { changes, lastInsertRowid };
      });
      return { answer: plan.answer(stepResults), after: stateOf(after) };
    } catch (error) {
      return { failed: error };
    }
  });
  // Not committed, yet no write failed on its own: sending them again would end the same way.
  if (!isCommitted && !results.some((o) => "failed" in o)) throw new Error("the write was not committed");
  return results;
}

/** Applies `next` to a value that is synchronous on better-sqlite3 and a promise on libSQL, keeping it so. */
export function andThen<A, B>(value: A | Promise<A>, next: (a: A) => B | Promise<B>): B | Promise<B> {
  return value instanceof Promise ? value.then(next) : next(value);
}

// ---------------------------------------------------------------------------
// Group commit (better-sqlite3)

type Job = { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
const batch = processSingleton("group-commit", () => ({
  jobs: [] as Job[],
  scheduled: false,
  /** Writes announced (announceWrite) and not yet asked for. */
  announced: 0,
  /** Commits the batch even though announced writes are still to come. */
  deadline: undefined as NodeJS.Timeout | undefined,
}));

/** The longest a commit waits for announced writes to join it. */
const ANNOUNCED_WAIT_MS = 2;

/**
 * Runs `work` in a write transaction, durably committed when the promise
 * resolves. Group commit: the transactions asked for in one event-loop turn
 * share a single SQLite commit (the costly part of a small write: each page
 * it changed is written once however many rows changed it). When one of them
 * fails, the shared transaction is rolled back and each runs again alone, so
 * one failure undoes only its own work. While writes are
 * announced (requests that will write once their body is in), the commit
 * waits for them, at most ANNOUNCED_WAIT_MS: concurrent callbacks then share
 * one commit instead of taking turns.
 * `work` is synchronous: no awaits, no network or file work inside.
 */
function writeTransaction<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    batch.jobs.push({ work, resolve: resolve as (value: unknown) => void, reject });
    scheduleFlush();
  });
}

function scheduleFlush() {
  if (batch.jobs.length === 0 || batch.scheduled) return;
  if (batch.announced === 0) {
    batch.scheduled = true;
    clearTimeout(batch.deadline);
    batch.deadline = undefined;
    setImmediate(flushWrites);
  } else {
    batch.deadline ??= setTimeout(() => {
      batch.deadline = undefined;
      if (batch.scheduled) return;
      batch.scheduled = true;
      flushWrites();
    }, ANNOUNCED_WAIT_MS);
  }
}

/**
 * Announces a write this request is about to ask for (a callback, while its
 * body arrives), so that a commit due meanwhile waits a moment to take it
 * along. Call the answer once the write is asked for, or will not be.
 * Nothing on libSQL, whose server takes each batch as it comes.
 */
export function announceWrite(): () => void {
  if (state.handle?.driver !== "better-sqlite3") return () => {};
  batch.announced++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    batch.announced--;
    scheduleFlush();
  };
}

function flushWrites() {
  let h: Handle;
  try {
    h = handle();
    if (h.driver !== "better-sqlite3") throw new Error("group commit is for better-sqlite3");
  } catch (error) {
    const jobs = batch.jobs;
    batch.jobs = [];
    batch.scheduled = false;
    for (const job of jobs) job.reject(error);
    return;
  }
  // The SQLite thread is writing a slice: flush when it is done (writes asked for meanwhile go along).
  if (!tryTakeTurn(h.turn)) return void whenTurnFree(h.turn).then(flushWrites);
  const jobs = batch.jobs;
  batch.jobs = [];
  batch.scheduled = false;
  try {
    commitJobs(h.sqlite, jobs);
  } finally {
    giveTurnBack(h.turn);
  }
}

/** A job's own failure, told apart from the transaction's (a locked file). */
class JobFailed {
  constructor(readonly error: unknown) {}
}

/**
 * Runs jobs in one immediate transaction, answering their values; a job that
 * throws rolls all back (as JobFailed). Made once per connection: a new
 * transaction function per commit cost a few µs of every callback.
 */
const groupTransactions = new WeakMap<Database.Database, Database.Transaction<(jobs: Job[]) => unknown[]>>();

function runGroup(sqlite: Database.Database, jobs: Job[]): unknown[] {
  let run = groupTransactions.get(sqlite);
  if (!run) {
    run = sqlite.transaction((group: Job[]) =>
      group.map((job) => {
        try {
          return job.work();
        } catch (error) {
          throw new JobFailed(error);
        }
      }),
    );
    groupTransactions.set(sqlite, run);
  }
  return run.immediate(jobs);
}

/** The jobs in one immediate transaction; when one fails, each again alone, so a failure undoes only its own work. */
function commitJobs(sqlite: Database.Database, jobs: Job[]) {
  try {
    // No savepoint per job: failures are rare, and only one costs anything
    // more (the group rolled back, then each job alone).
    const values = runGroup(sqlite, jobs);
    return jobs.forEach((job, i) => job.resolve(values[i]));
  } catch (error) {
    // The transaction itself failed (e.g. the file stayed locked): asking
    // again job by job would only wait as long again for each.
    if (!(error instanceof JobFailed)) return jobs.forEach((job) => job.reject(error));
    if (jobs.length === 1) return jobs[0]!.reject(error.error);
    // A job failed and took the others back with it: each runs again below, alone, to tell which.
  }
  for (const job of jobs) {
    let value: unknown;
    try {
      value = runGroup(sqlite, [job])[0];
    } catch (error) {
      job.reject(error instanceof JobFailed ? error.error : error);
      continue;
    }
    job.resolve(value);
  }
}
