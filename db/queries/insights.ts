// The figures of /insights over the last `days`: turnaround percentiles per
// kind, who completed tasks (callback or a poll rescue), failures by code,
// callbacks received per UTC hour and bytes stored per UTC day. Read from the
// roll-ups of migrations 0008-0009, so a year of history costs a few thousand
// summary rows, never the tasks themselves.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { TASK_KINDS, type TaskKind } from "@/lib/core/enums";

export type Turnaround = { p50Seconds: number | null; p95Seconds: number | null; count: number };

export type Insights = {
  days: number;
  /** Start of the window (inclusive), ISO. */
  since: string;
  turnaround: Record<TaskKind, Turnaround>;
  sources: { callback: number; poll: number };
  failures: { code: number | null; count: number }[];
  /** Hours without deliveries are left out; `hour` is the UTC hour's start, ISO. */
  deliveriesPerHour: { hour: string; count: number }[];
  /** Days without stored files are left out; `day` is the UTC date, YYYY-MM-DD. */
  storedBytesPerDay: { day: string; bytes: number }[];
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// Inlined, not bound: a bound JS number is a REAL to SQLite, and integer division must stay integer.
const HOUR = sql.raw(String(HOUR_MS));
const DAY = sql.raw(String(DAY_MS));

/**
 * A turnaround in ms floored to 3 significant digits, as the roll-up keeps it
 * (the triggers of migration 0009 round the same way).
 */
const turnaroundBucket = (ms: SQL) => {
  const steps = [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000].map((div) => `when v < ${div * 1000} then v / ${div} * ${div}`);
  return sql`(select case when v < 1000 then v ${sql.raw(steps.join(" "))} else v / 100000000 * 100000000 end from (select max(0, ${ms}) as v))`;
};

/**
 * Read from the daily (hourly) roll-ups the triggers keep, for the whole days
 * (hours) of the window; the partial first day (hour) is read from the rows
 * themselves, so the window starts exactly `days` before now. Percentiles are
 * nearest-rank over the turnaround histogram: exact to 3 significant digits.
 */
export async function getInsights(days: number, now = new Date()): Promise<Insights> {
  const db = getDb();
  const since = now.getTime() - days * DAY_MS;
  const firstDay = Math.floor(since / DAY_MS) + 1;
  const firstHour = Math.floor(since / HOUR_MS) + 1;
  const dayEdge = sql.raw(String(firstDay * DAY_MS));
  const hourEdge = sql.raw(String(firstHour * HOUR_MS));

  const [outcomes, histogram, perHour, perDay] = await Promise.all([
    db.all<{ status: string; kind: TaskKind; source: string; code: number; n: number }>(sql`
      select status, kind, source, code, sum(n) as n from (
        select status, kind, source, code, n from insights_outcomes where day >= ${firstDay}
        union all
        select status, kind, ifnull(last_source, ''), ifnull(code, -1), 1 from tasks
        where status in ('succeeded', 'failed') and completed_at >= ${since} and completed_at < ${dayEdge}
      ) group by status, kind, source, code having sum(n) > 0`),
    db.all<{ kind: TaskKind; ms: number; n: number }>(sql`
      select kind, ms, sum(n) as n from (
        select kind, ms, n from insights_turnarounds where day >= ${firstDay}
        union all
        select kind, ${turnaroundBucket(sql`completed_at - created_at`)}, 1 from tasks
        where status = 'succeeded' and completed_at >= ${since} and completed_at < ${dayEdge}
      ) group by kind, ms having sum(n) > 0 order by kind, ms`),
    db.all<{ bucket: number; n: number }>(sql`
      select hour as bucket, sum(n) as n from (
        select hour, n from insights_deliveries where hour >= ${firstHour}
        union all
        select received_at / ${HOUR}, 1 from deliveries where received_at >= ${since} and received_at < ${hourEdge}
      ) group by bucket having sum(n) > 0 order by bucket`),
    db.all<{ bucket: number; bytes: number }>(sql`
      select day as bucket, sum(bytes) as bytes from (
        select day, bytes from insights_stored_bytes where day >= ${firstDay}
        union all
        select stored_at / ${DAY}, ifnull(bytes, 0) from assets
        where status in ('stored', 'removed') and stored_at >= ${since} and stored_at < ${dayEdge}
      ) group by bucket having sum(bytes) > 0 order by bucket`),
  ]);

  const turnaround = Object.fromEntries(
    TASK_KINDS.map((kind) => {
      const buckets = histogram.filter((h) => h.kind === kind).map((h) => ({ ms: Number(h.ms), n: Number(h.n) }));
      const count = buckets.reduce((sum, b) => sum + b.n, 0);
      const at = (p: number) => {
        const rank = Math.ceil((count * p) / 100);
        let seen = 0;
        for (const b of buckets) {
          seen += b.n;
          if (seen >= rank) return b.ms / 1000;
        }
        return null;
      };
      return [kind, { p50Seconds: count ? at(50) : null, p95Seconds: count ? at(95) : null, count }];
    }),
  ) as Record<TaskKind, Turnaround>;

  const sources = { callback: 0, poll: 0 };
  const failures = new Map<number | null, number>();
  for (const row of outcomes) {
    const n = Number(row.n);
    if (row.source === "callback" || row.source === "poll") sources[row.source] += n;
    if (row.status === "failed") {
      // -1 is the roll-up's "no code".
      const code = Number(row.code) === -1 ? null : Number(row.code);
      failures.set(code, (failures.get(code) ?? 0) + n);
    }
  }

  return {
    days,
    since: new Date(since).toISOString(),
    turnaround,
    sources,
    failures: [...failures].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code ?? -1) - (b.code ?? -1)),
    deliveriesPerHour: perHour.map((r) => ({ hour: new Date(Number(r.bucket) * HOUR_MS).toISOString(), count: Number(r.n) })),
    storedBytesPerDay: perDay.map((r) => ({
      day: new Date(Number(r.bucket) * DAY_MS).toISOString().slice(0, 10),
      bytes: Number(r.bytes),
    })),
  };
}
