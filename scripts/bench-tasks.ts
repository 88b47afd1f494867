// Benchmark of the task list with 100,000 tasks: GET /api/tasks first page and
// a filtered page (p50/p99 over 200 requests each) next to the raw SQL query's
// time, and the first-load JavaScript of `/` (gzipped). Prints figures; no
// assertions. Needs a production build (`npx next build`).
// Run: npx tsx scripts/bench-tasks.ts
import fs from "node:fs";
import Database from "better-sqlite3";
import { startServer } from "../tests/helpers/server";
import { firstLoadJs, timeRequests } from "./lib/http-timing";

const TASKS = 100_000;
const REQUESTS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms`;
};

function seed(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const task = db.prepare(
    `insert into tasks (task_id, kind, status, code, message, created_at, updated_at, completed_at, last_source, delivery_count, files_expire_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'callback', 1, ?)`,
  );
  const asset = db.prepare(
    `insert into assets (task_id, type, position, remote_url, status, bytes, bytes_received, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = Date.now() - TASKS * 1000;
  // better-sqlite3 itself (not Drizzle), with a synchronous body: one commit for the seed.
  // eslint-disable-next-line no-restricted-syntax
  db.transaction(() => {
    for (let i = 0; i < TASKS; i++) {
      const kind = i % 5 < 3 ? "cover" : "wav";
      const r = (i * 7919) % 100;
      const status = r < 70 ? "succeeded" : r < 90 ? "failed" : "pending";
      const at = start + i * 1000;
      const taskId = `bench${i.toString(16).padStart(12, "0")}`;
      task.run(
        taskId,
        kind,
        status,
        status === "pending" ? null : status === "succeeded" ? 200 : 501,
        status === "pending" ? null : status === "succeeded" ? "success" : "Cover generation failed",
        at,
        at,
        status === "pending" ? null : at,
        status === "succeeded" ? at + 14 * 86_400_000 : null,
      );
      if (status !== "succeeded") continue;
      for (let p = 0; p < (kind === "cover" ? 2 : 1); p++) {
        const stored = i % 10 !== 0;
        asset.run(
          taskId,
          kind === "cover" ? "image" : "audio",
          p,
          `https://cdn.example/${taskId}/${p}`,
          stored ? "stored" : "pending",
          500_000,
          stored ? 500_000 : 0,
          at,
          at,
        );
      }
    }
  })();
  db.close();
}

/** The SQL listTasks runs (page of tasks + the grouped asset progress), timed in-process. */
function rawQuery(file: string, filter: { status?: string; kind?: string }): number[] {
  const db = new Database(file, { readonly: true });
  const where = [filter.kind && "kind = @kind", filter.status && "status = @status"].filter(Boolean).join(" and ");
  const page = db.prepare(`select * from tasks ${where ? `where ${where}` : ""} order by id desc limit 51`);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const rows = page.all(filter) as { task_id: string }[];
    const ids = rows.slice(0, 50).map((r) => r.task_id);
    db.prepare(
      `select task_id, count(*), sum(case when status = 'stored' then 1 else 0 end), sum(case when status = 'failed' then 1 else 0 end),
       sum(case when status in ('pending','downloading') then 1 else 0 end), coalesce(sum(bytes), 0), coalesce(sum(bytes_received), 0)
       from assets where task_id in (${ids.map(() => "?").join(",")}) group by task_id`,
    ).all(...ids);
    times.push(performance.now() - t0);
  }
  db.close();
  return times;
}

const server = await startServer({ env: { WORKER: "0" } });
try {
  await server.stop(); // the first start created and migrated the database
  const t0 = Date.now();
  seed(server.dbFile);
  console.log(
    `seeded ${TASKS.toLocaleString("en")} tasks in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(server.dbFile).size / 1e6).toFixed(0)} MB)`,
  );
  await server.restart();

  const cases = [
    { label: "GET /api/tasks (first page)", query: "", filter: {} },
    { label: "GET /api/tasks?status=failed&kind=wav", query: "?status=failed&kind=wav", filter: { status: "failed", kind: "wav" } },
  ];
  console.log(`\n${REQUESTS} sequential requests each, 50 tasks per page:`);
  for (const c of cases) {
    const http = await timeRequests(`${server.url}/api/tasks${c.query}`, REQUESTS);
    const sql = rawQuery(server.dbFile, c.filter);
    console.log(`${c.label.padEnd(42)} HTTP ${summary(http)}   raw SQL ${summary(sql)}   (target p50 < 30 ms)`);
  }

  // The page's other reads: counts by status × kind and storage used, and the whole server render.
  console.log(`${"GET /api/stats".padEnd(42)} HTTP ${summary(await timeRequests(`${server.url}/api/stats`, REQUESTS))}`);
  console.log(`${"GET / (server-rendered page)".padEnd(42)} HTTP ${summary(await timeRequests(`${server.url}/`, REQUESTS))}`);

  const js = await firstLoadJs(server.url, "/");
  console.log(
    `\nfirst-load JS of /: ${js.files} chunks, ${(js.raw / 1024).toFixed(1)} kB raw, ${(js.gzip / 1024).toFixed(1)} kB gzipped (target ≤ 200 kB)`,
  );
} finally {
  await server.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
