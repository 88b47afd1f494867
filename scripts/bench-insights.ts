// Benchmark of /api/insights over 100,000 tasks (with their deliveries and
// assets) spread over the last 90 days, on each driver (the SQLite file, and a
// local libSQL server): p50/p99 of GET /api/insights for 7, 90 and 365 days
// (read from the roll-ups: their sizes are printed), and the first-load
// JavaScript of `/` and `/insights` (gzipped). Prints figures; no assertions.
// Needs a production build (`npx next build`).
// Run: npx tsx scripts/bench-insights.ts
import fs from "node:fs";
import os from "node:os";
import { createClient, type InStatement, type InValue } from "@libsql/client/http";
import Database from "better-sqlite3";
import { startServer, type TestServer } from "../tests/helpers/server";
import { firstLoadJs, timeRequests } from "./lib/http-timing";
import { figure } from "./lib/summary";

const TASKS = 100_000;
const REQUESTS = 100;
const DAY = 86_400_000;
const SPAN = 90 * DAY;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

type Table = "tasks" | "deliveries" | "assets";
const COLUMNS: Record<Table, string[]> = {
  tasks: ["task_id", "kind", "status", "code", "message", "created_at", "updated_at", "completed_at", "last_source", "delivery_count"],
  deliveries: ["received_at", "kind", "task_id", "verdict", "body", "headers", "path"],
  assets: ["task_id", "type", "position", "remote_url", "status", "bytes", "bytes_received", "created_at", "updated_at", "stored_at"],
};
type Row = [Table, unknown[]];

/** The seeded history, row by row (the roll-ups follow from the app's triggers). */
function* history(now: number): Generator<Row> {
  const start = now - SPAN;
  const delivery = (receivedAt: number, kind: string | null, taskId: string | null, verdict: string): Row => [
    "deliveries",
    [receivedAt, kind, taskId, verdict, '{"code":200}', "{}", "/api/callbacks"],
  ];
  for (let i = 0; i < TASKS; i++) {
    const kind = i % 5 < 3 ? "cover" : "wav";
    const r = (i * 7919) % 100;
    const status = r < 70 ? "succeeded" : r < 90 ? "failed" : "pending";
    const created = start + Math.floor((i * SPAN) / TASKS);
    const completed = status === "pending" ? null : created + 5_000 + ((i * 104_729) % 600) * 1000;
    const source = status === "pending" ? "submit" : i % 7 === 0 ? "poll" : "callback";
    const taskId = `bench${i.toString(16).padStart(12, "0")}`;
    const code = status === "succeeded" ? 200 : status === "failed" ? [501, 451, 531, 400][i % 4]! : null;
    yield [
      "tasks",
      [taskId, kind, status, code, status === "failed" ? "failed" : null, created, completed ?? created, completed, source, 1],
    ];
    if (completed !== null && source === "callback") {
      yield delivery(completed, kind, taskId, "accepted");
      if (i % 20 === 0) yield delivery(completed + 1000, kind, taskId, "duplicate");
    }
    if (status !== "succeeded") continue;
    for (let p = 0; p < (kind === "cover" ? 2 : 1); p++) {
      const stored = i % 10 !== 0;
      const bytes = kind === "cover" ? 500_000 : 40_000_000;
      yield [
        "assets",
        [
          taskId,
          kind === "cover" ? "image" : "audio",
          p,
          `https://cdn.example/${taskId}/${p}`,
          stored ? "stored" : "pending",
          bytes,
          stored ? bytes : 0,
          completed!,
          completed!,
          stored ? completed! + 10_000 : null,
        ],
      ];
    }
  }
  for (let i = 0; i < 2_000; i++) yield delivery(start + i * 3_600_000, null, null, "rejected");
}

const insertSql = (table: Table, rows: number) =>
  `insert into ${table} (${COLUMNS[table].join(", ")}) values ${Array(rows)
    .fill(`(${COLUMNS[table].map(() => "?").join(", ")})`)
    .join(", ")}`;

/** Into the SQLite file, the app stopped: better-sqlite3 itself (not Drizzle), with a synchronous body, one commit. */
function seedFile(file: string, now: number) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = Object.fromEntries((Object.keys(COLUMNS) as Table[]).map((t) => [t, db.prepare(insertSql(t, 1))]));
  // eslint-disable-next-line no-restricted-syntax
  db.transaction(() => {
    for (const [table, values] of history(now)) insert[table]!.run(...values);
  })();
  db.close();
}

/** Through the libSQL server, the app running: many rows per statement, many statements per batch. */
async function seedLibsql(url: string, now: number) {
  const client = createClient({ url });
  const ROWS = 200;
  const pending: Record<Table, unknown[][]> = { tasks: [], deliveries: [], assets: [] };
  const batch: InStatement[] = [];
  const flush = (table: Table) => {
    const rows = pending[table].splice(0);
    if (rows.length > 0) batch.push({ sql: insertSql(table, rows.length), args: rows.flat() as InValue[] });
  };
  const send = async () => {
    if (batch.length > 0) await client.batch(batch.splice(0), "write");
  };
  // Tasks go in before their deliveries and assets (foreign keys): each batch flushes them first.
  for (const [table, values] of history(now)) {
    pending[table].push(values);
    if (pending[table].length < ROWS) continue;
    flush("tasks");
    flush("deliveries");
    flush("assets");
    if (batch.length >= 15) await send();
  }
  for (const table of ["tasks", "deliveries", "assets"] as const) flush(table);
  await send();
  client.close();
}

/** How many summary rows the roll-ups hold for the seeded history (what a year of insights reads). */
async function rollupSizes(server: TestServer): Promise<string> {
  const tables = ["insights_outcomes", "insights_turnarounds", "insights_deliveries", "insights_stored_bytes"];
  const [counts] = await server.sql<Record<string, number>>(
    `select ${tables.map((t) => `(select count(*) from ${t}) as ${t}`).join(", ")}`,
  );
  return tables.map((t) => `${t} ${counts![t]}`).join(", ");
}

async function measure(url: string, driver: string) {
  console.log(`\n${driver}, ${REQUESTS} sequential requests each:`);
  for (const days of [7, 90, 365]) {
    const http = await timeRequests(`${url}/api/insights?days=${days}`, REQUESTS);
    console.log(`${`GET /api/insights?days=${days}`.padEnd(32)} HTTP ${summary(http)}   (target p50 < 100 ms)`);
    const p50 = percentile(
      [...http].sort((a, b) => a - b),
      50,
    );
    if (days !== 7) {
      figure({
        figure: `GET /api/insights over ${TASKS / 1000}k tasks, ${days} days, ${driver}`,
        value: `p50 ${p50.toFixed(1)} ms`,
        target: "< 100 ms",
        met: p50 < 100,
      });
    }
  }
  console.log(`${"GET /insights (server-rendered)".padEnd(32)} HTTP ${summary(await timeRequests(`${url}/insights`, REQUESTS))}`);
}

const loadAverage = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${os.cpus().length} cores (figures scale with it)`;

for (const database of ["better-sqlite3", "libsql"] as const) {
  const server = await startServer({ database, env: { WORKER: "0" } });
  const label = database === "libsql" ? "libSQL (loopback sqld)" : "file:";
  try {
    const now = Date.now();
    if (database === "better-sqlite3") {
      await server.stop(); // the first start created and migrated the database
      seedFile(server.dbFile, now);
      await server.restart();
    } else {
      await seedLibsql(server.sqld!.url, now);
    }
    console.log(
      `\n${label} seeded ${TASKS.toLocaleString("en")} tasks over 90 days with deliveries and assets in ${((Date.now() - now) / 1000).toFixed(1)} s`,
    );
    console.log(loadAverage());
    console.log(`roll-up rows: ${await rollupSizes(server)}`);
    await measure(server.url, label);

    if (database === "better-sqlite3") {
      console.log("");
      for (const [page, target] of [
        ["/", 200],
        ["/insights", 260],
      ] as const) {
        const js = await firstLoadJs(server.url, page);
        console.log(
          `first-load JS of ${page}: ${js.files} chunks, ${(js.raw / 1024).toFixed(1)} kB raw, ${(js.gzip / 1024).toFixed(1)} kB gzipped (target ≤ ${target} kB)`,
        );
      }
    }
  } catch (error) {
    console.error(`${error}\nserver log:\n${server.log().slice(-3000)}`);
    process.exitCode = 1;
  } finally {
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}
