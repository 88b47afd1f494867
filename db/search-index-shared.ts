// What the SQLite thread (file:, db/sqlite-thread.ts) and its
// controller on the main thread (db/search-index.ts) share: the statements
// that bring the trigram index of raw bodies (deliveries_fts) up to date a
// slice at a time (the main thread runs them itself on libSQL), and the
// thread's start data.
import type { WriteTurn } from "./write-turn";

/**
 * A slice's bodies add up to about this many characters (at least one body):
 * indexing costs about 0.04 µs per character (a 1.7 KB music callback, 64 at
 * a time: 64 µs), so a slice holds the write for a few milliseconds at most
 * (64 small bodies: 2–3 ms), however large one callback's body.
 */
const SLICE_CHARS = 16_384;
/** And at most this many deliveries. */
const SLICE_ROWS = 64;

/**
 * The next slice: `after` (the index holds every delivery up to it) and
 * `through` (the slice's last delivery), null when nothing waits. No
 * parameters: it runs as a plain read on either driver.
 */
export const NEXT_SLICE = `SELECT (SELECT indexed_through FROM search_index) AS after, max(id) AS through FROM (
  SELECT id, sum(length(body)) OVER (ORDER BY id) - length(body) AS before FROM deliveries
  WHERE id > (SELECT indexed_through FROM search_index) ORDER BY id LIMIT ${SLICE_ROWS}
) WHERE before < ${SLICE_CHARS}`;

export type Slice = { after: number; through: number | null };

/**
 * Indexing waits this long after deliveries are stored, so those arriving
 * meanwhile share its slices: under a burst, a small body indexed in a slice
 * of 64 costs about 40 % less than in one of 16 (what 20 ms gathered).
 * Searches do not wait for it: they scan what is not indexed yet.
 */
export const GATHER_MS = 100;

/** Indexes the slice's bodies: parameters after, through. */
export const INDEX_SLICE = `INSERT INTO deliveries_fts (rowid, body) SELECT id, body FROM deliveries WHERE id > ? AND id <= ?`;
/** Moves the mark past the slice: parameter through. */
export const ADVANCE_MARK = `UPDATE search_index SET indexed_through = ?`;

export type ThreadData = {
  file: string;
  turn: WriteTurn;
  /** NUDGES: how many times the main thread said deliveries were stored; STOP: 1 once the thread should end. */
  signals: Int32Array;
};
export const NUDGES = 0;
export const STOP = 1;
