// The search-index thread (file:, started by db/search-index.ts): indexes the
// raw bodies of new deliveries, a slice per transaction, each in its turn with
// the main thread's commits (db/write-turn.ts). The trigram index was most of
// a callback's SQLite work; here it runs beside the thread that answers callbacks.
import "server-only";
import Database from "better-sqlite3";
import { workerData } from "node:worker_threads";
import { ADVANCE_MARK, INDEX_SLICE, NEXT_SLICE, NUDGES, STOP, type Slice, type ThreadData } from "./search-index-shared";
import { giveTurnBack, takeTurnBlocking } from "./write-turn";

/** After a nudge, deliveries arriving within this long join the same slice (fewer, larger commits). */
const GATHER_MS = 20;
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

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

let seen = Atomics.load(signals, NUDGES) - 1;
while (Atomics.load(signals, STOP) === 0) {
  const nudges = Atomics.load(signals, NUDGES);
  if (nudges === seen) {
    Atomics.wait(signals, NUDGES, nudges);
    continue;
  }
  seen = nudges;
  pause(GATHER_MS);
  for (let more = true; more && Atomics.load(signals, STOP) === 0;) {
    let failure: unknown = null;
    takeTurnBlocking(turn);
    try {
      more = indexOne.immediate();
    } catch (error) {
      failure = error;
      more = false;
    } finally {
      giveTurnBack(turn);
    }
    if (failure) {
      console.error("[search-index] indexing failed; trying again:", failure);
      seen = -1;
      pause(RETRY_MS);
    }
  }
}
sqlite.close();
