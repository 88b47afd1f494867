// Benchmark of the inbox search with 100,000 deliveries: GET /api/deliveries?q=
// (p50/p99 over 200 requests each) for a rare substring (the middle of one
// task id), a common one (in every body, so the newest page is found at once),
// one that matches nothing, and with a verdict filter. The deliveries are
// inserted straight into the SQLite file and indexed as the app's indexer
// does, all but the newest NOT_INDEXED, which every search then scans (a
// burst the indexer has not caught up with). Prints figures; no assertions.
// Needs a production build.
// Run: npx tsx scripts/bench-search.ts
import fs from "node:fs";
import Database from "better-sqlite3";
import { startServer } from "../tests/helpers/server";

const DELIVERIES = 100_000;
const NOT_INDEXED = 1_000;
const REQUESTS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms`;
};

const taskIdOf = (i: number) => `bench${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, "0")}${i.toString(16).padStart(6, "0")}`;

function seed(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insert = db.prepare(
    `insert into deliveries (received_at, kind, task_id, verdict, error, body, headers, remote_address, path, path_kind, signature)
     values (?, ?, ?, ?, ?, ?, ?, '203.0.113.7', '/api/callbacks', null, 'unsigned')`,
  );
  const headers = JSON.stringify({ "content-type": "application/json", "user-agent": "bench/1.0", "x-callback-token": "[redacted]" });
  const start = Date.now() - DELIVERIES * 1000;
  // better-sqlite3 itself (not Drizzle), with a synchronous body: one commit for the seed.
  // eslint-disable-next-line no-restricted-syntax
  db.transaction(() => {
    for (let i = 0; i < DELIVERIES; i++) {
      const taskId = taskIdOf(i);
      const cover = i % 3 !== 0;
      const rejected = i % 50 === 0;
      const body = cover
        ? JSON.stringify({
            code: 200,
            msg: "success",
            data: { taskId, images: [`https://cdn.example.com/${taskId}/0.png`, `https://cdn.example.com/${taskId}/1.png`] },
          })
        : JSON.stringify({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: `https://cdn.example.com/${taskId}.wav` } });
      insert.run(
        start + i * 1000,
        cover ? "cover" : "wav",
        rejected ? null : taskId,
        rejected ? "rejected" : "accepted",
        rejected ? "bench" : null,
        body,
        headers,
      );
    }
    db.prepare(`insert into deliveries_fts (rowid, body) select id, body from deliveries where id <= ?`).run(DELIVERIES - NOT_INDEXED);
    db.prepare(`update search_index set indexed_through = ?`).run(DELIVERIES - NOT_INDEXED);
  })();
  db.close();
}

async function timeRequests(url: string, expectItems: (n: number) => boolean): Promise<number[]> {
  for (let i = 0; i < 10; i++) await (await fetch(url)).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = (await res.json()) as { items: unknown[] };
    times.push(performance.now() - t0);
    if (!res.ok || !expectItems(body.items.length)) throw new Error(`${url} answered ${res.status} with ${body.items?.length} items`);
  }
  return times;
}

const server = await startServer({ env: { WORKER: "0" }, database: "better-sqlite3" });
try {
  await server.stop(); // the first start created and migrated the database (FTS table included)
  const t0 = Date.now();
  seed(server.dbFile);
  console.log(
    `seeded ${DELIVERIES.toLocaleString("en")} deliveries (the newest ${NOT_INDEXED.toLocaleString("en")} not indexed yet) in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(server.dbFile).size / 1e6).toFixed(0)} MB)`,
  );
  await server.restart();

  const rare = taskIdOf(31_337).slice(3, -2);
  const cases: [label: string, query: string, expect: (n: number) => boolean][] = [
    ["q=<middle of one task id>", `q=${rare}`, (n) => n === 1],
    ["q=<the same, not indexed yet>", `q=${taskIdOf(DELIVERIES - NOT_INDEXED / 2).slice(3, -2)}`, (n) => n === 1],
    ["q=cdn.example (every body)", "q=cdn.example", (n) => n === 30],
    ["q=<no match>", "q=zzzqqq", (n) => n === 0],
    ["q=audioWavUrl&verdict=rejected", "q=audioWavUrl&verdict=rejected", (n) => n === 30],
    ["taskId=<one task>", `taskId=${taskIdOf(4242)}`, (n) => n === 1],
  ];
  console.log(`\n${REQUESTS} sequential requests each, 30 deliveries per page:`);
  for (const [label, query, expect] of cases) {
    const times = await timeRequests(`${server.url}/api/deliveries?${query}&limit=30`, expect);
    console.log(`GET /api/deliveries?${label.padEnd(34)} ${summary(times)}   (target p50 < 50 ms)`);
  }
} finally {
  await server.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
