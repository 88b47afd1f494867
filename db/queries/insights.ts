// The figures of /insights over the last `days`: turnaround percentiles per
// kind, who completed tasks (callback or a poll rescue), failures by code,
// callbacks received per UTC hour and bytes stored per UTC day. Everything is
// aggregated in SQL: a 100k-task history never crosses into JavaScript.
import "server-only";
import { sql } from "drizzle-orm";
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

/** Percentiles are nearest-rank: the value at 1-based rank ceil(p/100 × n) of the sorted turnarounds. */
export async function getInsights(days: number, now = new Date()): Promise<Insights> {
  const db = getDb();
  const since = now.getTime() - days * DAY_MS;

  const [outcomes, perHour, perDay] = await Promise.all([
    // Sources, failures and the succeeded count per kind, from one grouped scan of the completed tasks.
    db.all<{ status: string; kind: TaskKind; source: string | null; code: number | null; n: number }>(sql`
      select status, kind, last_source as source, code, count(*) as n
      from tasks
      where completed_at >= ${since} and status in ('succeeded', 'failed')
      group by status, kind, last_source, code`),
    db.all<{ bucket: number; n: number }>(sql`
      select received_at / ${HOUR} as bucket, count(*) as n
      from deliveries where received_at >= ${since}
      group by bucket order by bucket`),
    db.all<{ bucket: number; bytes: number }>(sql`
      select stored_at / ${DAY} as bucket, coalesce(sum(bytes), 0) as bytes
      from assets where status in ('stored', 'removed') and stored_at >= ${since}
      group by bucket order by bucket`),
  ]);

  const counts = Object.fromEntries(TASK_KINDS.map((k) => [k, 0])) as Record<TaskKind, number>;
  for (const row of outcomes) if (row.status === "succeeded") counts[row.kind] += Number(row.n);
  const ranks = TASK_KINDS.flatMap((kind) => [50, 95].map((p) => ({ kind, rank: Math.ceil((counts[kind] * p) / 100) }))).filter(
    (r) => r.rank > 0,
  );
  // With the counts known, one sort per kind brings back only the ranked rows.
  const ranked =
    ranks.length === 0
      ? []
      : await db.all<{ kind: TaskKind; rn: number; ms: number }>(sql`
      select kind, rn, ms from (
        select kind,
          max(0, completed_at - created_at) as ms,
          row_number() over (partition by kind order by completed_at - created_at) as rn
        from tasks
        where status = 'succeeded' and completed_at >= ${since}
      ) where ${sql.join(
        ranks.map((r) => sql`(kind = ${r.kind} and rn = ${r.rank})`),
        sql` or `,
      )}`);

  const turnaround = Object.fromEntries(
    TASK_KINDS.map((kind) => {
      const at = (p: number) => {
        const rank = Math.ceil((counts[kind] * p) / 100);
        const row = ranked.find((r) => r.kind === kind && Number(r.rn) === rank);
        return row ? Number(row.ms) / 1000 : null;
      };
      return [kind, { p50Seconds: at(50), p95Seconds: at(95), count: counts[kind] }];
    }),
  ) as Record<TaskKind, Turnaround>;

  const sources = { callback: 0, poll: 0 };
  const failures = new Map<number | null, number>();
  for (const row of outcomes) {
    const n = Number(row.n);
    if (row.source === "callback" || row.source === "poll") sources[row.source] += n;
    if (row.status === "failed") {
      const code = row.code === null ? null : Number(row.code);
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
