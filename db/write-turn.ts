// Whose turn it is to write the SQLite file: this process's main thread (its
// group commits, db/client.ts) or its SQLite thread (db/sqlite-thread.ts,
// which indexes the bodies of new deliveries).
// SQLite would make one of them wait for the other's lock by sleeping in its
// busy handler, and on the main thread that sleep holds every callback's
// answer. With the turn, the main thread never sleeps: it flushes once the
// thread's slice (a few ms) is done. Other processes still meet SQLite's lock.

/** The turn is free, held by the main thread, or held by the SQLite thread. */
const FREE = 0;
const MAIN = 1;
const THREAD = 2;

/** One shared cell: both threads see the same turn. */
export type WriteTurn = Int32Array;

export function newWriteTurn(): WriteTurn {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** Main thread: takes the turn when it is free; never waits. */
export function tryTakeTurn(turn: WriteTurn): boolean {
  return Atomics.compareExchange(turn, 0, FREE, MAIN) === FREE;
}

/** Main thread: resolves once the thread has given the turn back. */
export function whenTurnFree(turn: WriteTurn): Promise<void> {
  const waiting = Atomics.waitAsync(turn, 0, THREAD);
  return waiting.async ? waiting.value.then(() => undefined) : Promise.resolve();
}

/** SQLite thread: takes the turn, waiting (this thread may block) while the main thread holds it. */
export function takeTurnBlocking(turn: WriteTurn): void {
  while (Atomics.compareExchange(turn, 0, FREE, THREAD) !== FREE) Atomics.wait(turn, 0, MAIN);
}

/** Either side: gives the turn back and wakes whoever waits for it. */
export function giveTurnBack(turn: WriteTurn): void {
  Atomics.store(turn, 0, FREE);
  Atomics.notify(turn, 0);
}

/** Main thread, once the SQLite thread has ended: a turn it still held (it died mid-slice) is free again. */
export function freeTurnOfEndedThread(turn: WriteTurn): void {
  if (Atomics.compareExchange(turn, 0, THREAD, FREE) === THREAD) Atomics.notify(turn, 0);
}
