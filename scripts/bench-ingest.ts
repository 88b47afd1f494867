// Callback ingest throughput and latency next to a bare Next.js route (the
// framework's ceiling), from one run on a temp database. Prints figures only.
import { startServer, TOKEN } from "../tests/helpers/server";
import { runLoad } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const runId = Date.now().toString(16);

const server = await startServer({ env: { BENCH_ENDPOINTS: "1", WORKER: "0" } });
try {
  const callback = (i: number) =>
    JSON.stringify({
      code: 200,
      msg: "success",
      data: {
        taskId: `bench${runId}${i.toString(16)}`,
        images: [`https://files.example.com/${i}/0.png`, `https://files.example.com/${i}/1.png`],
      },
    });
  const targets = {
    bare: `${server.url}/api/bench/echo`,
    ingest: `${server.url}/api/callbacks?token=${TOKEN}`,
  };
  let offset = 0;
  // Warm both routes up (JIT, first compile of the route modules).
  for (const url of Object.values(targets)) {
    const warm = await runLoad({ url, connections: 4, seconds: 1, body: (i) => callback(offset + i) });
    offset += warm.requests + 1;
  }

  const rows: string[] = [];
  console.log(`\nCallback ingest vs bare route (${SECONDS} s per cell, 2-core machine)`);
  console.log("connections  route    req/s    p50 ms  p99 ms  max ms  non-200");
  for (const connections of [4, 16]) {
    const results: Record<string, Awaited<ReturnType<typeof runLoad>>> = {};
    for (const [name, url] of Object.entries(targets)) {
      const r = await runLoad({ url, connections, seconds: SECONDS, body: (i) => callback(offset + i) });
      offset += r.requests + 1;
      results[name] = r;
      const bad = r.requests - (r.statuses[200] ?? 0);
      console.log(
        `${String(connections).padEnd(13)}${name.padEnd(9)}${r.rps.toFixed(0).padStart(6)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${bad}`,
      );
    }
    const ratio = results.ingest!.rps / results.bare!.rps;
    rows.push(
      `${connections} connections: ingest/bare = ${ratio.toFixed(2)}× (target ≥ 0.70), ingest p99 = ${results.ingest!.p99.toFixed(2)} ms${connections === 16 ? " (target ≤ 25 ms)" : ""}`,
    );
  }
  console.log("");
  for (const row of rows) console.log(row);
} finally {
  await server.stop();
}
