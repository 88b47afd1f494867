// Callback ingest throughput and latency: on the embedded SQLite file (file:)
// next to a bare Next.js route (the framework's ceiling) and the least durable
// ack (the floor under any route that commits a callback before answering),
// both served by an app of their own (scripts/lib/bare-next.ts); and on a
// local libSQL server (sqld) next to file:. Cells take turns in each
// comparison. Prints figures only.
import os from "node:os";
import { startServer, TOKEN, type DatabaseDriver } from "../tests/helpers/server";
import { startBareNext } from "./lib/bare-next";
import { loadTool, runLoad } from "./lib/load";
import { figure } from "./lib/summary";
import { withCpu } from "./lib/cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARM_UP_SECONDS = 5;
/**
 * Cells per route and connection count (takingTurns). Many short cells rather
 * than a few long ones, in about the same time (18 s per route, was 15): on
 * this kind of shared machine one round's ingest ÷ bare moved between 0.46
 * and 0.76 within a run (4 connections), and the median of six rounds moves
 * less than that of three.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const HEADER =
  "connections  route    req/s    p50 ms  p99 ms  max ms  non-200  CPU ms per request (app + sqld)  app's main thread: ms per request, busy";

// A distinct task per request, as real traffic has.
const bodyTemplate = JSON.stringify({
  code: 200,
  msg: "success",
  data: { taskId: "bench-{{n}}", images: ["https://files.example.com/{{n}}/0.png", "https://files.example.com/{{n}}/1.png"] },
});

const summary: string[] = [];
const bare = await startBareNext();
const servers = {
  "better-sqlite3": await startServer({ database: "better-sqlite3", env: { WORKER: "0" } }),
  libsql: await startServer({ database: "libsql", env: { WORKER: "0" } }),
};
const ingestUrl = (database: DatabaseDriver) => `${servers[database].url}/api/callbacks?token=${TOKEN}`;
/** Whose CPU a cell counts: the app, and the sqld it talks to. */
const processesOf = (database: DatabaseDriver) => [servers[database].pid(), servers[database].sqld?.pid];
try {
  // Warm every route up (JIT, first load of the route modules, the kept streams and sqld's
  // caches): measured from cold, libSQL's first cells ran at two thirds of its later ones.
  for (const url of [bare.echoUrl, bare.floorUrl, ingestUrl("better-sqlite3"), ingestUrl("libsql")]) {
    await runLoad({ url, connections: 4, seconds: WARM_UP_SECONDS, bodyTemplate });
  }

  // file: against the bare route (the framework's ceiling) and the least durable ack (the floor).
  console.log(
    `\nCallback ingest on file: vs bare route and the least durable ack (${SECONDS} s per cell, ${ROUNDS} rounds taking turns, load from ${loadTool}, 2-core machine)`,
  );
  console.log(HEADER);
  for (const connections of [4, 16]) {
    const { results, ratios } = await takingTurns(connections, [
      ["bare", bare.echoUrl, [bare.pid]],
      ["floor", bare.floorUrl, [bare.pid]],
      ["ingest", ingestUrl("better-sqlite3"), processesOf("better-sqlite3")],
    ]);
    const [bareCell, , ingest] = results;
    const [, floorRatio, ratio] = ratios;
    figure({
      figure: `callback ingest ÷ bare route, file:, ${connections} connections`,
      value: `${ingest.rps.toFixed(0)} ÷ ${bareCell.rps.toFixed(0)} req/s = ${ratio.toFixed(2)}× (the least durable ack: ${floorRatio.toFixed(2)}×), p50 ${ingest.p50.toFixed(2)} ms; CPU per request ${showCpu(ingest.cpuMs)} vs bare ${showCpu(bareCell.cpuMs)}; main thread ${showMain(ingest.main)} vs bare ${showMain(bareCell.main)}`,
      target: "≥ 0.7×",
      met: ratio >= 0.7,
    });
    summary.push(
      `file:, ${connections} connections: ingest ${describe(ingest)}; ingest/bare = ${ratio.toFixed(2)}× (target ≥ 0.70); the least durable ack/bare = ${floorRatio.toFixed(2)}×`,
    );
  }

  // libSQL against file:, cells taking turns as well: the target is relative to file:'s rate.
  console.log(`\nCallback ingest on libSQL (loopback sqld) vs file: (${SECONDS} s per cell, ${ROUNDS} rounds taking turns)`);
  console.log(HEADER);
  const { results, ratios } = await takingTurns(4, [
    ["file:", ingestUrl("better-sqlite3"), processesOf("better-sqlite3")],
    ["libSQL", ingestUrl("libsql"), processesOf("libsql")],
  ]);
  const [file, libsql] = results;
  const [, ratio] = ratios;
  figure({
    figure: "callback ingest on libSQL (loopback sqld), 4 connections",
    value: `${libsql.rps.toFixed(0)} ÷ ${file.rps.toFixed(0)} req/s = ${ratio.toFixed(2)}× file:, p50 ${libsql.p50.toFixed(2)} ms; CPU per callback ${showCpu(libsql.cpuMs)}${cpuCeiling(libsql.cpuMs)}`,
    target: "≥ 0.5× file:",
    met: ratio >= 0.5,
  });
  summary.push(`libSQL, 4 connections: ingest ${describe(libsql)}; libSQL/file: = ${ratio.toFixed(2)}× (target ≥ 0.50)`);
} finally {
  await Promise.all(Object.values(servers).map((server) => server.close()));
  await bare.close();
}
console.log("");
for (const line of summary) console.log(line);

/**
 * Cells of each route in turn, ROUNDS times, in the routes' order in one
 * round and the reverse in the next (none always follows another): the load
 * of others moves between cells on a shared machine, so each figure is the
 * median of its cells and each route's ratio (to the first route) the median
 * of each round's ratio.
 */
async function takingTurns<const R extends readonly Route[]>(connections: number, routes: R) {
  const cells: Cell[][] = routes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...routes.entries()];
    if (round % 2 === 1) order.reverse();
    for (const [i, [name, url, pids]] of order) {
      const { result, cpu, mainThread } = await withCpu(pids, () => runLoad({ url, connections, seconds: SECONDS, bodyTemplate }));
      // CPU milliseconds per request, of each counted process (null where unknown).
      const perRequest = (seconds: number | null) => (seconds === null ? null : (1000 * seconds) / result.requests);
      const r = {
        ...result,
        cpuMs: cpu.map(perRequest),
        // The thread that answers: near 100 % busy, it is what limits the rate, whatever the cores left idle.
        main: mainThread === null ? null : { ms: perRequest(mainThread)!, busy: (mainThread * result.rps) / result.requests },
      };
      cells[i]!.push(r);
      console.log(
        `${String(connections).padEnd(13)}${name.padEnd(9)}${r.rps.toFixed(0).padStart(6)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${String(r.non200).padEnd(7)}  ${showCpu(r.cpuMs).padEnd(32)} ${showMain(r.main)}`,
      );
    }
  }
  // One of each per route, in the routes' order.
  return {
    results: cells.map(medianCell) as { [K in keyof R]: Cell },
    ratios: cells.map((own) => median(own.map((cell, round) => cell.rps / cells[0]![round]!.rps))) as { [K in keyof R]: number },
  };
}

function describe(cell: Cell): string {
  return `${cell.rps.toFixed(0)} req/s, p50 ${cell.p50.toFixed(2)} ms, p99 ${cell.p99.toFixed(2)} ms`;
}

type Route = readonly [name: string, url: string, pids: (number | undefined)[]];
type Cell = Awaited<ReturnType<typeof runLoad>> & { cpuMs: (number | null)[]; main: MainThread | null };
type MainThread = { ms: number; busy: number };

/** "0.98 ms, 97 %" */
function showMain(main: MainThread | null): string {
  return main === null ? "unknown" : `${main.ms.toFixed(2)} ms, ${(100 * main.busy).toFixed(0)} %`;
}

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
