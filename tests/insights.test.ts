// GET /api/insights against a seeded history whose answers are known: exact
// percentiles (nearest rank), counts by source and failure code, hour and day
// buckets, and what falls outside the window.
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase, setupServer, writeSql } from "./helpers/drivers";
import { uniqueTaskId } from "./helpers/ids";
import type { TestServer } from "./helpers/server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Row = (string | number | null)[];

/** One multi-row insert. */
async function insert(server: TestServer, table: string, columns: string[], rows: Row[]) {
  const values = rows.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
  await writeSql(server, `insert into ${table} (${columns.join(", ")}) values ${values}`, rows.flat());
}

const TASK_COLUMNS = ["task_id", "kind", "status", "code", "created_at", "updated_at", "completed_at", "last_source"];
const task = (kind: string, status: string, code: number | null, createdAt: number, turnaroundMs: number | null, source: string): Row => [
  uniqueTaskId("ins"),
  kind,
  status,
  code,
  createdAt,
  createdAt,
  turnaroundMs === null ? null : createdAt + turnaroundMs,
  source,
];

const iso = (ms: number) => new Date(ms).toISOString();

describeEachDatabase("insights", (database) => {
  const server = setupServer(database, { env: { WORKER: "0" } });
  const now = Date.now();
  const hour = Math.floor(now / HOUR) * HOUR; // this UTC hour's start
  const today = Math.floor(now / DAY) * DAY;
  const recent = hour - 2 * HOUR;
  const old = now - 10 * DAY;

  beforeAll(async () => {
    const rows: Row[] = [];
    // Cover: 10 succeeded in 10, 20, …, 100 s (8 by callback, 2 rescued by polling).
    for (let i = 0; i < 10; i++)
      rows.push(task("cover", "succeeded", 200, recent - i * MINUTE, (i + 1) * 10 * SECOND, i < 8 ? "callback" : "poll"));
    // WAV: 20 succeeded in 1, 2, …, 20 s (15 by callback, 5 by polling).
    for (let i = 0; i < 20; i++)
      rows.push(task("wav", "succeeded", 200, recent - i * MINUTE, (i + 1) * SECOND, i < 15 ? "callback" : "poll"));
    // Every kind has its own turnaround: music 4 in 60, 120, 180, 240 s (callbacks), separation 2 in 30 and 90 s (polls), MIDI 1 in 5 s.
    for (let i = 0; i < 4; i++) rows.push(task("music", "succeeded", 200, recent - i * MINUTE, (i + 1) * 60 * SECOND, "callback"));
    rows.push(task("separation", "succeeded", 200, recent, 90 * SECOND, "poll"));
    rows.push(task("separation", "succeeded", 200, recent, 30 * SECOND, "poll"));
    rows.push(task("midi", "succeeded", 200, recent, 5 * SECOND, "callback"));
    // Failures: 501 ×3 and 531 ×1 (callbacks), 451 ×2 (polls).
    for (let i = 0; i < 3; i++) rows.push(task("cover", "failed", 501, recent, 5 * SECOND, "callback"));
    rows.push(task("cover", "failed", 531, recent, 5 * SECOND, "callback"));
    for (let i = 0; i < 2; i++) rows.push(task("wav", "failed", 451, recent, 5 * SECOND, "poll"));
    // Pending tasks count nowhere.
    for (let i = 0; i < 4; i++) rows.push(task("cover", "pending", null, recent, null, "submit"));
    // Ten days ago: outside 7 days, inside 30.
    rows.push(task("cover", "succeeded", 200, old, 1000 * SECOND, "callback"));
    rows.push(task("cover", "failed", 500, old, 5 * SECOND, "callback"));
    await insert(server(), "tasks", TASK_COLUMNS, rows);

    const delivery = (at: number, verdict: string): Row => [at, "cover", verdict, "{}", "{}", "/api/callbacks"];
    await insert(
      server(),
      "deliveries",
      ["received_at", "kind", "verdict", "body", "headers", "path"],
      [
        delivery(hour - 3 * HOUR + 10 * MINUTE, "accepted"),
        delivery(hour - 3 * HOUR + 10 * MINUTE, "accepted"),
        delivery(hour - 3 * HOUR + 20 * MINUTE, "duplicate"),
        delivery(hour - 3 * HOUR + 50 * MINUTE, "accepted"),
        delivery(hour - 3 * HOUR + 59 * MINUTE, "rejected"),
        delivery(hour - HOUR + 5 * MINUTE, "accepted"),
        delivery(hour - HOUR + 6 * MINUTE, "accepted"),
        delivery(hour - HOUR + 7 * MINUTE, "rejected"),
        delivery(hour - HOUR + 59 * MINUTE, "accepted"),
        delivery(old, "accepted"),
        delivery(old, "accepted"),
      ],
    );

    const owner = rows[0]![0] as string;
    let position = 0;
    const asset = (status: string, bytes: number, storedAt: number | null): Row => [
      owner,
      "image",
      position++,
      "https://cdn.example/x.png",
      status,
      bytes,
      storedAt,
      now,
      now,
    ];
    await insert(
      server(),
      "assets",
      ["task_id", "type", "position", "remote_url", "status", "bytes", "stored_at", "created_at", "updated_at"],
      [
        asset("stored", 1000, today - 2 * DAY + HOUR),
        asset("stored", 2000, today - 2 * DAY + 20 * HOUR),
        asset("stored", 500, today - DAY + 2 * HOUR),
        asset("stored", 250, Math.max(today, now - MINUTE)),
        asset("pending", 9999, null),
        asset("failed", 7777, null),
        asset("stored", 4000, old),
      ],
    );
  });

  it("answers the last 7 days by default, with exact figures", async () => {
    const { status, body } = await server().getJson("/api/insights");
    expect(status).toBe(200);
    expect(body).toEqual({
      days: 7,
      since: expect.any(String),
      turnaround: {
        cover: { p50Seconds: 50, p95Seconds: 100, count: 10 },
        wav: { p50Seconds: 10, p95Seconds: 19, count: 20 },
        music: { p50Seconds: 120, p95Seconds: 240, count: 4 },
        lyrics: { p50Seconds: null, p95Seconds: null, count: 0 },
        separation: { p50Seconds: 30, p95Seconds: 90, count: 2 },
        midi: { p50Seconds: 5, p95Seconds: 5, count: 1 },
        video: { p50Seconds: null, p95Seconds: null, count: 0 },
        other: { p50Seconds: null, p95Seconds: null, count: 0 },
      },
      sources: { callback: 32, poll: 11 },
      failures: [
        { code: 501, count: 3 },
        { code: 451, count: 2 },
        { code: 531, count: 1 },
      ],
      deliveriesPerHour: [
        { hour: iso(hour - 3 * HOUR), count: 5 },
        { hour: iso(hour - HOUR), count: 4 },
      ],
      storedBytesPerDay: [
        { day: iso(today - 2 * DAY).slice(0, 10), bytes: 3000 },
        { day: iso(today - DAY).slice(0, 10), bytes: 500 },
        { day: iso(today).slice(0, 10), bytes: 250 },
      ],
    });
    const since = Date.parse((body as { since: string }).since);
    expect(Math.abs(since - (now - 7 * DAY))).toBeLessThan(60 * SECOND);
  });

  it("widens to 30 days: the old rows count, the percentiles move", async () => {
    const { body } = await server().getJson<{
      turnaround: Record<string, unknown>;
      sources: unknown;
      failures: unknown;
      deliveriesPerHour: { hour: string; count: number }[];
      storedBytesPerDay: { day: string; bytes: number }[];
    }>("/api/insights?days=30");
    // 11 cover values: 10…100 s and 1000 s → rank 6 is 60 s, rank 11 is 1000 s.
    expect(body.turnaround.cover).toEqual({ p50Seconds: 60, p95Seconds: 1000, count: 11 });
    expect(body.turnaround.wav).toEqual({ p50Seconds: 10, p95Seconds: 19, count: 20 });
    expect(body.sources).toEqual({ callback: 34, poll: 11 });
    expect(body.failures).toEqual([
      { code: 501, count: 3 },
      { code: 451, count: 2 },
      { code: 500, count: 1 },
      { code: 531, count: 1 },
    ]);
    expect(body.deliveriesPerHour[0]).toEqual({ hour: iso(Math.floor(old / HOUR) * HOUR), count: 2 });
    expect(body.deliveriesPerHour).toHaveLength(3);
    expect(body.storedBytesPerDay[0]).toEqual({ day: iso(old).slice(0, 10), bytes: 4000 });
  });

  it("narrows to 24 h", async () => {
    // The seeded hours are within the last 3 h; the ten-day-old rows are out.
    const { body } = await server().getJson<{ turnaround: Record<string, { count: number }>; deliveriesPerHour: unknown[] }>(
      "/api/insights?days=1",
    );
    expect(body.turnaround.cover!.count).toBe(10);
    expect(body.deliveriesPerHour).toHaveLength(2);
  });

  it.each(["0", "366", "abc", "1.5"])("refuses days=%s with 400 invalid_request", async (days) => {
    const { status, body } = await server().getJson<{ error: { code: string; message: string } }>(`/api/insights?days=${days}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(/^days: /);
  });

  it("keeps its roll-ups equal to the rows they sum up, whatever writes the rows", async () => {
    // Changes no endpoint makes in this order, written straight to the tables: the triggers follow them all.
    const [first, second] = await server().sql<{ task_id: string }>(
      "select task_id from tasks where status = 'succeeded' and kind = 'wav' order by completed_at desc limit 2",
    );
    await writeSql(server(), "update tasks set status = 'failed', code = 501, last_source = 'poll' where task_id = ?", [first!.task_id]);
    await writeSql(server(), "update tasks set completed_at = completed_at + 123456 where task_id = ?", [second!.task_id]);
    await writeSql(
      server(),
      "delete from tasks where task_id = (select task_id from tasks where kind = 'cover' and status = 'failed' limit 1)",
    );
    await writeSql(server(), "update assets set status = 'removed' where bytes = 500");
    await writeSql(server(), "update assets set status = 'stored', stored_at = ? where bytes = 9999", [now - HOUR]);
    await writeSql(server(), "delete from assets where bytes = 1000");
    await writeSql(server(), "delete from deliveries where verdict = 'duplicate'");

    const tasks = await server().sql<{
      kind: string;
      status: string;
      code: number | null;
      source: string | null;
      created: number;
      completed: number;
    }>(
      "select kind, status, code, last_source as source, created_at as created, completed_at as completed from tasks where status in ('succeeded', 'failed') and completed_at is not null",
    );
    const count = <T>(items: T[], key: (item: T) => string, add: (item: T) => number = () => 1) => {
      const totals = new Map<string, number>();
      for (const item of items) totals.set(String(key(item)), (totals.get(String(key(item))) ?? 0) + add(item));
      return Object.fromEntries([...totals].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));
    };
    /** Floor to 3 significant digits, written independently of the SQL. */
    const bucket = (ms: number) => {
      const v = Math.max(0, ms);
      const unit = v < 1000 ? 1 : 10 ** (Math.floor(Math.log10(v)) - 2);
      return Math.floor(v / unit) * unit;
    };
    const rollup = async (query: string) =>
      count(
        await server().sql<{ key: string; n: number }>(query),
        (r) => r.key,
        (r) => Number(r.n),
      );

    expect(
      await rollup("select day || '|' || kind || '|' || status || '|' || source || '|' || code as key, n from insights_outcomes"),
    ).toEqual(count(tasks, (t) => `${Math.floor(t.completed / DAY)}|${t.kind}|${t.status}|${t.source ?? ""}|${t.code ?? -1}`));
    expect(await rollup("select day || '|' || kind || '|' || ms as key, n from insights_turnarounds")).toEqual(
      count(
        tasks.filter((t) => t.status === "succeeded"),
        (t) => `${Math.floor(t.completed / DAY)}|${t.kind}|${bucket(t.completed - t.created)}`,
      ),
    );
    const deliveries = await server().sql<{ at: number }>("select received_at as at from deliveries");
    expect(await rollup("select hour as key, n from insights_deliveries")).toEqual(
      count(deliveries, (d) => String(Math.floor(d.at / HOUR))),
    );
    const stored = await server().sql<{ at: number; bytes: number | null }>(
      "select stored_at as at, bytes from assets where status in ('stored', 'removed') and stored_at is not null",
    );
    expect(await rollup("select day as key, bytes as n from insights_stored_bytes")).toEqual(
      count(
        stored,
        (a) => String(Math.floor(a.at / DAY)),
        (a) => a.bytes ?? 0,
      ),
    );
  });
});
