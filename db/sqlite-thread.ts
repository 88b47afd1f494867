// The SQLite thread (file:, started by db/search-index.ts while callbacks
// arrive): the database's background work, beside the thread that answers
// callbacks.
// - It indexes the raw bodies of new deliveries, a slice per transaction,
//   each in its turn with the main thread's commits (db/write-turn.ts). The
//   trigram index was most of a callback's SQLite work.
// - It checkpoints the WAL (copies its pages into the database file and
//   syncs it) while it runs: the main connection's automatic checkpoint is
//   off meanwhile. Run after a commit, on the main thread, that sync held
//   every callback's answer for up to about 20 ms. A checkpoint does not
//   take the write lock: commits go on beside it.
import "server-only";
import Database from "better-sqlite3";
import { workerData } from "node:worker_threads";
import { ADVANCE_MARK, GATHER_MS, INDEX_SLICE, NEXT_SLICE, NUDGES, STOP, type Slice, type ThreadData } from "./search-index-shared";
import { giveTurnBack, takeTurnBlocking } from "./write-turn";

/** How often the WAL is checkpointed while this thread runs. */
const CHECKPOINT_EVERY_MS = 1_000;
/** After a failed slice (e.g. another process held the file past the busy timeout), the next try waits this long. */
const RETRY_MS = 1_000;

const { file, turn, signals } = workerData as ThreadData;
const sqlite = new Database(file);
sqlite.pragma("synchronous = NORMAL");
sqlite.pragma("busy_timeout = 5000");
const nextSlice = sqlite.prepare<[], Slice>(NEXT_SLICE);
const indexSlice = sqlite.prepare(INDEX_SLICE);
const advanceMark = sqlite.prepare(ADVANCE_MARK);

/** Indexes one slice; answers whether there was one. */
// better-sqlite3 itself (the thread has no db/client.ts), with a synchronous body.
// eslint-disable-next-line no-restricted-syntax
const indexOne = sqlite.transaction((): boolean => {
  const { after, through } = nextSlice.get()!;
  if (through === null) return false;
  indexSlice.run(after, through);
  advanceMark.run(through);
  return true;
});

/** Never notified: waiting on it is a sleep. */
const sleepCell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
const pause = (ms: number) => Atomics.wait(sleepCell, 0, 0, ms);
const stopped = () => Atomics.load(signals, STOP) !== 0;

/** Indexes every slice that waits; false when one failed. */
function indexAll(): boolean {
  for (let more = true; more && !stopped();) {
    takeTurnBlocking(turn);
    try {
      more = indexOne.immediate();
    } catch (error) {
      console.error("[sqlite-thread] indexing failed; trying again:", error);
      return false;
    } finally {
      giveTurnBack(turn);
    }
  }
  return true;
}

let lastCheckpoint = Date.now();
function checkpointWhenDue(): void {
  if (Date.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
  lastCheckpoint = Date.now();
  try {
    sqlite.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    console.error("[sqlite-thread] checkpoint failed:", error);
  }
}

let seen = Atomics.load(signals, NUDGES) - 1;
while (!stopped()) {
  const nudges = Atomics.load(signals, NUDGES);
  if (nudges !== seen) {
    seen = nudges;
    pause(GATHER_MS);
    if (!indexAll()) {
      seen = -1;
      pause(RETRY_MS);
    }
  }
  checkpointWhenDue();
  if (Atomics.load(signals, NUDGES) === seen) Atomics.wait(signals, NUDGES, seen, CHECKPOINT_EVERY_MS);
}
// The main connection checkpoints again from now on; this last one leaves it little to do.
lastCheckpoint = 0;
checkpointWhenDue();
sqlite.close();
