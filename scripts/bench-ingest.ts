// Callback ingest throughput and latency next to a bare Next.js route (the
// framework's ceiling, served by an app of its own: scripts/lib/bare-next.ts),
// on each database driver: the embedded SQLite file (file:) and a local libSQL
// server (sqld). Prints figures only.
import os from "node:os";
import { startServer, TOKEN, type DatabaseDriver } from "../tests/helpers/server";
import { startBareNext } from "./lib/bare-next";
import { loadTool, runLoad } from "./lib/load";
import { figure } from "./lib/summary";
import { withCpu } from "./lib/cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * Cells per route and connection count, bare and ingest taking turns: on a
 * shared machine the load of others moves between cells, so each figure is
 * the median of its cells and the ratio the median of each turn's ratio.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Connection counts per driver: the libSQL path is measured where the issue asks (4). */
const CONNECTIONS: Record<DatabaseDriver, number[]> = { "better-sqlite3": [4, 16], libsql: [4] };

// A distinct task per request, as real traffic has.
const bodyTemplate = JSON.stringify({
  code: 200,
  msg: "success",
  data: { taskId: "bench-{{n}}", images: ["https://files.example.com/{{n}}/0.png", "https://files.example.com/{{n}}/1.png"] },
});

const summary: string[] = [];
/** Ingest req/s at 4 connections per driver: libSQL's target is relative to the file: driver. */
const ingestAt4: Partial<Record<DatabaseDriver, number>> = {};
const bare = await startBareNext();
for (const database of ["better-sqlite3", "libsql"] as const) {
  const server = await startServer({ database, env: { WORKER: "0" } });
  try {
    const targets = { bare: bare.echoUrl, ingest: `${server.url}/api/callbacks?token=${TOKEN}` };
    // Whose CPU each cell counts: the bare app; the dashboard, and the sqld it talks to.
    const processes = { bare: [bare.pid], ingest: [server.pid(), server.sqld?.pid] };
    // Warm both routes up (JIT, first load of the route modules).
    for (const url of Object.values(targets)) await runLoad({ url, connections: 4, seconds: 1, bodyTemplate });

    console.log(
      `\nCallback ingest vs bare route on ${database} (${SECONDS} s per cell, ${ROUNDS} rounds taking turns, load from ${loadTool}, 2-core machine)`,
    );
    console.log("connections  route    req/s    p50 ms  p99 ms  max ms  non-200  CPU ms per request (app + sqld)");
    for (const connections of CONNECTIONS[database]) {
      const cells: Record<"bare" | "ingest", Cell[]> = { bare: [], ingest: [] };
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, url] of Object.entries(targets) as ["bare" | "ingest", string][]) {
          const { result, cpu } = await withCpu(processes[name], () => runLoad({ url, connections, seconds: SECONDS, bodyTemplate }));
          // CPU milliseconds per request, of each counted process (null where unknown).
          const cpuMs = cpu.map((seconds) => (seconds === null ? null : (1000 * seconds) / result.requests));
          const r = { ...result, cpuMs };
          cells[name].push(r);
          console.log(
            `${String(connections).padEnd(13)}${name.padEnd(9)}${r.rps.toFixed(0).padStart(6)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${String(r.non200).padEnd(7)}  ${showCpu(cpuMs)}`,
          );
        }
        ratios.push(cells.ingest.at(-1)!.rps / cells.bare.at(-1)!.rps);
      }
      const results = { bare: medianCell(cells.bare), ingest: medianCell(cells.ingest) };
      const ratio = median(ratios);
      const ingest = results.ingest!;
      if (connections === 4) ingestAt4[database] = ingest.rps;
      const measured = `${ingest.rps.toFixed(0)} ÷ ${results.bare!.rps.toFixed(0)} req/s = ${ratio.toFixed(2)}×, p50 ${ingest.p50.toFixed(2)} ms; CPU per request ${showCpu(ingest.cpuMs)} vs bare ${showCpu(results.bare!.cpuMs)}`;
      if (database === "better-sqlite3") {
        figure({
          figure: `callback ingest ÷ bare route, file:, ${connections} connections`,
          value: measured,
          target: "≥ 0.7×",
          met: ratio >= 0.7,
        });
      } else {
        const ofFile = ingest.rps / (ingestAt4["better-sqlite3"] ?? Infinity);
        figure({
          figure: `callback ingest on libSQL (loopback sqld), ${connections} connections`,
          value: `${ingest.rps.toFixed(0)} req/s = ${ofFile.toFixed(2)}× file:, p50 ${ingest.p50.toFixed(2)} ms; CPU per callback ${showCpu(ingest.cpuMs)}${cpuCeiling(ingest.cpuMs)}`,
          target: "≥ 0.5× file:",
          met: ofFile >= 0.5,
        });
      }
      summary.push(
        `${database}, ${connections} connections: ingest ${results.ingest!.rps.toFixed(0)} req/s, p50 ${results.ingest!.p50.toFixed(2)} ms, p99 ${results.ingest!.p99.toFixed(2)} ms; ingest/bare = ${ratio.toFixed(2)}×${database === "better-sqlite3" ? " (target ≥ 0.70)" : ""}`,
      );
    }
  } finally {
    await server.close();
  }
}
await bare.close();
console.log("");
for (const line of summary) console.log(line);

type Cell = Awaited<ReturnType<typeof runLoad>> & { cpuMs: (number | null)[] };

/** "1.52 ms" for the app alone, "5.10 + 4.80 ms" with the sqld it talks to. */
function showCpu(cpuMs: (number | null)[]): string {
  const known = cpuMs.filter((ms): ms is number => ms !== null);
  return known.length === 0 ? "unknown" : `${known.map((ms) => ms.toFixed(2)).join(" + ")} ms`;
}

/** Where app and sqld share this machine's cores, the most callbacks per second their CPU per callback allows. */
function cpuCeiling(cpuMs: (number | null)[]): string {
  if (cpuMs.some((ms) => ms === null)) return "";
  const total = (cpuMs as number[]).reduce((a, b) => a + b, 0);
  const cores = os.availableParallelism();
  return `: ${cores} cores ÷ ${total.toFixed(2)} ms ≈ ${((1000 * cores) / total).toFixed(0)} req/s at most on this machine`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The cell of median throughput (its latencies with it). */
function medianCell<T extends { rps: number }>(cells: T[]): T {
  return [...cells].sort((a, b) => a.rps - b.rps)[Math.floor(cells.length / 2)]!;
}
