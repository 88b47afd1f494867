// Callback ingest throughput and latency next to a bare Next.js route (the
// framework's ceiling), from one run on a temp database. Prints figures only.
import { startServer, TOKEN } from "../tests/helpers/server";
import { loadTool, runLoad } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const server = await startServer({ env: { BENCH_ENDPOINTS: "1", WORKER: "0" } });
try {
  // A distinct task per request, as real traffic has.
  const bodyTemplate = JSON.stringify({
    code: 200,
    msg: "success",
    data: { taskId: "bench-{{n}}", images: ["https://files.example.com/{{n}}/0.png", "https://files.example.com/{{n}}/1.png"] },
  });
  const targets = { bare: `${server.url}/api/bench/echo`, ingest: `${server.url}/api/callbacks?token=${TOKEN}` };
  // Warm both routes up (JIT, first load of the route modules).
  for (const url of Object.values(targets)) await runLoad({ url, connections: 4, seconds: 1, bodyTemplate });

  const summary: string[] = [];
  console.log(`\nCallback ingest vs bare route (${SECONDS} s per cell, load from ${loadTool}, 2-core machine)`);
  console.log("connections  route    req/s    p50 ms  p99 ms  max ms  non-200");
  for (const connections of [4, 16]) {
    const results: Record<string, Awaited<ReturnType<typeof runLoad>>> = {};
    for (const [name, url] of Object.entries(targets)) {
      const r = await runLoad({ url, connections, seconds: SECONDS, bodyTemplate });
      results[name] = r;
      console.log(
        `${String(connections).padEnd(13)}${name.padEnd(9)}${r.rps.toFixed(0).padStart(6)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${r.non200}`,
      );
    }
    const ratio = results.ingest!.rps / results.bare!.rps;
    summary.push(
      `${connections} connections: ingest/bare = ${ratio.toFixed(2)}× (target ≥ 0.70), ingest p99 = ${results.ingest!.p99.toFixed(2)} ms${connections === 16 ? " (target ≤ 25 ms)" : ""}`,
    );
  }
  console.log("");
  for (const line of summary) console.log(line);
} finally {
  await server.stop();
}
