// Keeps the trigram index of raw bodies (deliveries_fts) up to date off the
// callbacks' path. A callback's commit no longer indexes its own body
// (migration 0012: that was most of its SQLite work), and a search also scans
// the bodies not indexed yet (db/queries/deliveries.ts), so what a search
// finds never waits for this.
// - file: the SQLite thread (db/sqlite-thread.ts, which also checkpoints the
//   WAL while it runs), nudged after each stored delivery, ended after a
//   minute without one.
// - Elsewhere (libSQL, whose server does the indexing; or outside a Next.js
//   server, with no built thread to load) indexDeliveries() on the main
//   thread: in a pass after callbacks when WORKER=1 (lib/work/after-result.ts),
//   and in every cron tick.
import "server-only";
import { Worker } from "node:worker_threads";
import { sql } from "drizzle-orm";
import { processSingleton } from "@/lib/core/registry";
import { andThen, getDb, planWrite, setAutoCheckpoint, sqliteFileAndTurn } from "./client";
import { deliveries, searchIndex } from "./schema";
import { ADVANCE_MARK, INDEX_SLICE, NEXT_SLICE, NUDGES, STOP, type Slice, type ThreadData } from "./search-index-shared";
import { freeTurnOfEndedThread, type WriteTurn } from "./write-turn";

/** A thread without a new delivery for this long ends; the next delivery starts another. */
const IDLE_MS = 60_000;
/** Inside a Next.js server, whose build holds the thread's code (Turbopack bundles `new Worker(new URL(…))`). */
const IN_NEXT_SERVER = process.env.NEXT_RUNTIME === "nodejs";

type Thread = { worker: Worker; turn: WriteTurn; signals: Int32Array; lastNudge: number; idleCheck: NodeJS.Timeout };

const state = processSingleton("search-index", () => ({
  thread: null as Thread | null,
  /** A thread failed: this process indexes on its main thread from then on. */
  threadFailed: false,
}));

/**
 * After a commit that stored deliveries: nudges the SQLite thread (started if
 * need be) to index their bodies. Answers false where there is no thread to
 * do it (libSQL, outside a Next.js server, or after the thread failed).
 */
export function nudgeSearchThread(): boolean {
  const sqlite = sqliteFileAndTurn();
  if (!sqlite || !IN_NEXT_SERVER || state.threadFailed) return false;
  let thread = state.thread;
  if (thread && thread.turn !== sqlite.turn) thread = stopThread(thread); // the database was reopened
  nudge(thread ?? startThread(sqlite.file, sqlite.turn));
  return true;
}

function startThread(file: string, turn: WriteTurn): Thread {
  const signals = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const workerData: ThreadData = { file, turn, signals };
  const worker = new Worker(new URL("./sqlite-thread.ts", import.meta.url), { name: "sqlite", workerData });
  // Never what keeps the process alive; ended mid-slice, its transaction is simply not committed.
  worker.unref();
  setAutoCheckpoint(false);
  const thread: Thread = { worker, turn, signals, lastNudge: Date.now(), idleCheck: setInterval(() => endIfIdle(thread), IDLE_MS) };
  thread.idleCheck.unref();
  worker.on("error", (error) => {
    console.error("[search-index] the SQLite thread failed; indexing on the main thread from now on:", error);
    state.threadFailed = true;
  });
  worker.on("exit", () => {
    clearInterval(thread.idleCheck);
    freeTurnOfEndedThread(turn);
    setAutoCheckpoint(true);
    if (state.thread === thread) state.thread = null;
  });
  state.thread = thread;
  return thread;
}

function nudge(thread: Thread): void {
  thread.lastNudge = Date.now();
  Atomics.add(thread.signals, NUDGES, 1);
  Atomics.notify(thread.signals, NUDGES);
}

function endIfIdle(thread: Thread): void {
  if (Date.now() - thread.lastNudge >= IDLE_MS) stopThread(thread);
}

/** Asks the thread to end after its slice; answers null (no thread). */
function stopThread(thread: Thread): null {
  if (state.thread === thread) state.thread = null;
  Atomics.store(thread.signals, STOP, 1);
  nudge(thread);
  return null;
}

/**
 * Indexes the deliveries that wait, a slice per write, until none is left or
 * `deadline` passes; answers how many were indexed. Safe beside the thread
 * and other instances: a slice whose mark moved meanwhile is read again.
 */
export async function indexDeliveries(deadline = Infinity): Promise<number> {
  let indexed = 0;
  for (let more = true; more && Date.now() < deadline;) {
    const slice = await planWrite(
      () => andThen(getDb().get<Slice>(sql.raw(NEXT_SLICE)), (slice) => slice),
      ({ after, through }) => ({
        steps:
          through === null
            ? []
            : [
                { sql: INDEX_SLICE, args: [after, through] },
                { sql: ADVANCE_MARK, args: [through] },
              ],
        unchanged: sql`(select ${searchIndex.indexedThrough} from ${searchIndex}) = ${after}`,
        answer: (results) => ({ more: through !== null, indexed: results[0]?.changes ?? 0 }),
      }),
    );
    more = slice.more;
    indexed += slice.indexed;
  }
  return indexed;
}

/** How many deliveries wait to be indexed. */
export async function deliveriesNotIndexed(): Promise<number> {
  const row = await getDb()
    .select({ n: sql<number>`count(*)` })
    .from(deliveries)
    .where(sql`${deliveries.id} > (select ${searchIndex.indexedThrough} from ${searchIndex})`)
    .get();
  return Number(row?.n ?? 0);
}
