// Benchmark of /api/insights over 100,000 tasks (with their deliveries and
// assets) spread over the last 90 days: p50/p99 of GET /api/insights for 7, 90
// and 365 days (read from the roll-ups: their sizes are printed), and the first-load
// JavaScript of `/` and `/insights` (gzipped). Prints figures; no assertions.
// Needs a production build (`npx next build`).
// Run: npx tsx scripts/bench-insights.ts
import fs from "node:fs";
import os from "node:os";
import Database from "better-sqlite3";
import { startServer } from "../tests/helpers/server";
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

function seed(file: string, now: number) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const task = db.prepare(
    `insert into tasks (task_id, kind, status, code, message, created_at, updated_at, completed_at, last_source, delivery_count)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const delivery = db.prepare(
    `insert into deliveries (received_at, kind, task_id, verdict, body, headers, path) values (?, ?, ?, ?, '{"code":200}', '{}', '/api/callbacks')`,
  );
  const asset = db.prepare(
    `insert into assets (task_id, type, position, remote_url, status, bytes, bytes_received, created_at, updated_at, stored_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = now - SPAN;
  // better-sqlite3 itself (not Drizzle), with a synchronous body: one commit for the seed.
  // eslint-disable-next-line no-restricted-syntax
  db.transaction(() => {
    for (let i = 0; i < TASKS; i++) {
      const kind = i % 5 < 3 ? "cover" : "wav";
      const r = (i * 7919) % 100;
      const status = r < 70 ? "succeeded" : r < 90 ? "failed" : "pending";
      const created = start + Math.floor((i * SPAN) / TASKS);
      const completed = status === "pending" ? null : created + 5_000 + ((i * 104_729) % 600) * 1000;
      const source = status === "pending" ? "submit" : i % 7 === 0 ? "poll" : "callback";
      const taskId = `bench${i.toString(16).padStart(12, "0")}`;
      const code = status === "succeeded" ? 200 : status === "failed" ? [501, 451, 531, 400][i % 4]! : null;
      task.run(taskId, kind, status, code, status === "failed" ? "failed" : null, created, completed ?? created, completed, source);
      if (completed !== null && source === "callback") {
        delivery.run(completed, kind, taskId, "accepted");
        if (i % 20 === 0) delivery.run(completed + 1000, kind, taskId, "duplicate");
      }
      if (status !== "succeeded") continue;
      for (let p = 0; p < (kind === "cover" ? 2 : 1); p++) {
        const stored = i % 10 !== 0;
        const bytes = kind === "cover" ? 500_000 : 40_000_000;
        asset.run(
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
        );
      }
    }
    for (let i = 0; i < 2_000; i++) delivery.run(start + i * 3_600_000, null, null, "rejected");
  })();
  db.close();
}

/** How many summary rows the roll-ups hold for the seeded history (what a year of insights reads). */
function rollupSizes(file: string): string {
  const db = new Database(file, { readonly: true });
  const tables = ["insights_outcomes", "insights_turnarounds", "insights_deliveries", "insights_stored_bytes"];
  const sizes = tables.map((t) => `${t} ${(db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n}`);
  db.close();
  return sizes.join(", ");
}

async function measure(url: string) {
  console.log(`\n${REQUESTS} sequential requests each:`);
  for (const days of [7, 90, 365]) {
    const http = await timeRequests(`${url}/api/insights?days=${days}`, REQUESTS);
    console.log(`${`GET /api/insights?days=${days}`.padEnd(32)} HTTP ${summary(http)}   (target p50 < 100 ms)`);
    const p50 = percentile(
      [...http].sort((a, b) => a - b),
      50,
    );
    if (days !== 7) {
      figure({
        figure: `GET /api/insights over ${TASKS / 1000}k tasks, ${days} days`,
        value: `p50 ${p50.toFixed(1)} ms`,
        target: "< 100 ms",
        met: p50 < 100,
      });
    }
  }
  console.log(`${"GET /insights (server-rendered)".padEnd(32)} HTTP ${summary(await timeRequests(`${url}/insights`, REQUESTS))}`);
}

const server = await startServer({ env: { WORKER: "0" } });
try {
  await server.stop(); // the first start created and migrated the database
  const now = Date.now();
  const t0 = Date.now();
  seed(server.dbFile, now);
  console.log(
    `seeded ${TASKS.toLocaleString("en")} tasks over 90 days with deliveries and assets in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(server.dbFile).size / 1e6).toFixed(0)} MB)`,
  );
  await server.restart();

  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${os.cpus().length} cores (figures scale with it)`,
  );
  console.log(`roll-up rows: ${rollupSizes(server.dbFile)}`);
  await measure(server.url);

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
} catch (error) {
  console.error(`${error}\nserver log:\n${server.log().slice(-3000)}`);
  process.exitCode = 1;
} finally {
  await server.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
