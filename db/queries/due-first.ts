// Which rows of a queue table (downloads, notifications) are due: rows
// waiting for their next attempt, and rows held under a lease, each due at a
// time of its own.
import "server-only";
import { and, eq, lt, lte, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

export type Queue = {
  table: SQLiteTable;
  /** Its (status, next attempt) index. */
  index: string;
  id: SQLiteColumn;
  status: SQLiteColumn;
  nextAttemptAt: SQLiteColumn;
  leaseUntil: SQLiteColumn;
  /** The status of a row waiting for its next attempt, and of one held under a lease. */
  waiting: string;
  held: string;
};

/** Due at `now` (a Date, or a placeholder for epoch ms): waiting whose time has come, or held whose lease ran out. */
export function dueNow(queue: Queue, now: Date | Placeholder): SQL {
  const { status, nextAttemptAt, leaseUntil } = queue;
  return or(and(eq(status, queue.waiting), lte(nextAttemptAt, now)), and(eq(status, queue.held), lt(leaseUntil, now)))!;
}

/**
 * The ids of up to `limit` rows due at `now` (and meeting `also`), the
 * longest due first: waiting ones whose time has come, from the index in its
 * order (the scan ends after `limit`), and held ones whose lease ran out (few:
 * at most the work in flight). With both in one condition (OR), SQLite sorted
 * every due row to take a few: a download claim took 4 ms with 20,000 files
 * waiting, on the thread that answers callbacks, against 0.1 ms so. The index
 * is named: with statistics (ANALYZE), SQLite scanned the whole table for the
 * few held rows.
 */
export function dueFirst(queue: Queue, now: Date, limit: number, also: SQL = sql`true`): SQL {
  const { id, status, nextAttemptAt, leaseUntil } = queue;
  const at = now.getTime();
  const from = sql`${queue.table} indexed by ${sql.identifier(queue.index)}`;
  return sql`(select id from (
    select * from (select ${id} as id, ${nextAttemptAt} as at from ${from}
      where ${status} = ${queue.waiting} and ${nextAttemptAt} <= ${at} and ${also} order by ${nextAttemptAt}, ${id} limit ${limit})
    union all
    select * from (select ${id} as id, ${nextAttemptAt} as at from ${from}
      where ${status} = ${queue.held} and ${leaseUntil} < ${at} and ${also} limit ${limit})
  ) order by at, id limit ${limit})`;
}
