// libSQL over a network: a delay proxy (tests/helpers/sqld-proxy.ts) holds
// every chunk 10 ms each way between the app (WORKER=0, as on Vercel) and a
// local sqld, a 20 ms round trip like Turso from a nearby region. Per callback,
// page and cron tick it prints the requests to the libSQL server (before the
// answer and in all, the work after the answer included) and the latency the
// client saw; then failure callbacks under load, with the requests per callback
// and how many callbacks each write batch carried. Prints figures only;
// tests/round-trips.test.ts holds the counts.
import os from "node:os";
import { coverFailure, coverSuccess } from "../tests/helpers/callbacks";
import { bytes, startFileServer } from "../tests/helpers/file-server";
import { loginCookie } from "../tests/helpers/http";
import { uniqueTaskId } from "../tests/helpers/ids";
import { startServer, TOKEN } from "../tests/helpers/server";
import { startSqld } from "../tests/helpers/sqld";
import { countRequests, quiet, startSqldProxy, type Counted } from "../tests/helpers/sqld-proxy";
import { loadTool, runLoad } from "./lib/load";
import { makePng } from "./lib/media";
import { figure } from "./lib/summary";

const ONE_WAY_MS = 10;
const QUIET_MS = 700;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = "bench round trips password";
const CRON_SECRET = "bench-cron-secret-0123456789";

const sqld = await startSqld();
const proxy = await startSqldProxy(sqld.url, { delayMs: ONE_WAY_MS });
const files = await startFileServer();
files.route("/cover.png", bytes(makePng(64, 64, 3), "image/png"));
const server = await startServer({
  databaseUrl: proxy.url,
  env: { WORKER: "0", DOWNLOAD_ALLOW_PRIVATE: "1", DASHBOARD_PASSWORD: PASSWORD, CRON_SECRET },
});
const count = (request: () => Promise<Response>) => countRequests(proxy, request, { oneWayMs: ONE_WAY_MS, quietMs: QUIET_MS });

type Case = { name: string; run: () => Promise<Counted>; targets?: { before?: number; all?: number } };

try {
  const cookie = await loginCookie(server, PASSWORD);
  const made = await fetch(`${server.url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: server.url },
    body: JSON.stringify({ name: "bench", scope: "read" }),
  });
  const { token } = (await made.json()) as { token: string };
  const authorization = `Bearer ${token}`;
  const pageTask = uniqueTaskId("bench-rt-page");
  // Once per process, not per request: the client's protocol check, the events cursor, the auth secret, a token's first use.
  for (const warm of [
    () => server.callback(coverFailure(pageTask)),
    () => fetch(`${server.url}/`, { headers: { cookie } }),
    () => fetch(`${server.url}/api/tasks`, { headers: { authorization } }),
    () => fetch(`${server.url}/api/cron/tick`, { headers: { authorization: `Bearer ${CRON_SECRET}` } }),
  ]) {
    await count(warm);
  }

  const cases: Case[] = [
    {
      name: "failure callback",
      run: () => count(() => server.callback(coverFailure(uniqueTaskId("bench-rt-f")))),
      targets: { before: 2, all: 4 },
    },
    {
      // The guess is the state this process's last write left the task in.
      name: "failure callback, task known here",
      run: () => count(() => server.callback(coverFailure(pageTask))),
      targets: { before: 2, all: 4 },
    },
    {
      name: "cover callback, one file stored",
      run: () => count(() => server.callback(coverSuccess(uniqueTaskId("bench-rt-c"), [`${files.url}/cover.png`]))),
      targets: { before: 2, all: 8 },
    },
    {
      name: "GET / (task list, with a session)",
      run: async () => {
        const fresh = await loginCookie(server, PASSWORD);
        return count(() => fetch(`${server.url}/`, { headers: { cookie: fresh } }));
      },
      targets: { all: 2 },
    },
    {
      name: "GET /tasks/<id> (with a session)",
      run: async () => {
        const fresh = await loginCookie(server, PASSWORD);
        return count(() => fetch(`${server.url}/tasks/${pageTask}`, { headers: { cookie: fresh } }));
      },
    },
    { name: "GET /api/tasks (API token)", run: () => count(() => fetch(`${server.url}/api/tasks`, { headers: { authorization } })) },
    {
      name: "cron tick, nothing due",
      run: () => count(() => fetch(`${server.url}/api/cron/tick`, { headers: { authorization: `Bearer ${CRON_SECRET}` } })),
    },
  ];

  console.log(
    `\nRequests to libSQL and latency through a ${2 * ONE_WAY_MS} ms round-trip delay proxy (WORKER=0, ${RUNS} runs each, medians; ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${os.cpus().length} cores, a shared machine)`,
  );
  console.log("request                               before  in all  latency p50 ms  (runs)");
  for (const c of cases) {
    const runs: Counted[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await c.run();
      if (r.status !== 200) throw new Error(`${c.name} answered ${r.status}`);
      runs.push(r);
    }
    const before = spread(runs.map((r) => r.before));
    const all = spread(runs.map((r) => r.all));
    const ms = median(runs.map((r) => r.ms));
    console.log(
      `${c.name.padEnd(38)}${before.text.padStart(6)}  ${all.text.padStart(6)}  ${ms.toFixed(1).padStart(14)}  (${runs.map((r) => r.ms.toFixed(0)).join(", ")})`,
    );
    const { before: beforeTarget, all: allTarget } = c.targets ?? {};
    const value = `${before.text} before the answer, ${all.text} in all; ${ms.toFixed(0)} ms`;
    const target = [beforeTarget !== undefined && `≤ ${beforeTarget} before`, allTarget !== undefined && `≤ ${allTarget} in all`]
      .filter(Boolean)
      .join(", ");
    figure({
      figure: `libSQL requests, ${c.name} (${2 * ONE_WAY_MS} ms RTT)`,
      value,
      target: target || "—",
      met: (beforeTarget === undefined || before.max <= beforeTarget) && (allTarget === undefined || all.max <= allTarget),
    });
  }

  // Under load the writes asked for while one batch is on its way go together in the next (group commit).
  console.log(`\nFailure callbacks under load through the same proxy (${LOAD_SECONDS} s each, load from ${loadTool})`);
  console.log("connections  req/s   p50 ms  p99 ms  requests per callback  callbacks per write batch");
  for (const connections of [4, 32]) {
    const start = proxy.requests().length;
    const bodyTemplate = JSON.stringify(coverFailure("bench-rt-load-{{n}}"));
    const load = await runLoad({ url: `${server.url}/api/callbacks?token=${TOKEN}`, connections, seconds: LOAD_SECONDS, bodyTemplate });
    // Until the work after the last answers is over.
    const made = (await quiet(proxy, QUIET_MS)).slice(start);
    const batches = made.filter((r) => r.body.includes('"BEGIN IMMEDIATE"') && r.body.includes("write_guard"));
    const grouped = batches.reduce((n, r) => n + (r.body.match(/insert into \\"deliveries\\"/g)?.length ?? 0), 0);
    const perCallback = made.length / load.requests;
    console.log(
      `${String(connections).padEnd(13)}${load.rps.toFixed(0).padStart(5)}  ${load.p50.toFixed(1).padStart(7)} ${load.p99.toFixed(1).padStart(7)}  ${perCallback.toFixed(2).padStart(21)}  ${(grouped / batches.length).toFixed(1).padStart(25)}`,
    );
    if (load.non200 > 0) throw new Error(`${load.non200} callbacks under load were not answered 200`);
    figure({
      figure: `libSQL failure callbacks under load, ${connections} connections (${2 * ONE_WAY_MS} ms RTT)`,
      value: `${load.rps.toFixed(0)} req/s, p50 ${load.p50.toFixed(1)} ms; ${perCallback.toFixed(2)} requests per callback, ${(grouped / batches.length).toFixed(1)} callbacks per write batch`,
      target: "—",
      met: true,
    });
  }
} catch (error) {
  console.error(`${error}\nserver log:\n${server.log().slice(-3000)}`);
  process.exitCode = 1;
} finally {
  await server.close();
  await files.close();
  await proxy.close();
  await sqld.stop();
}

/** "n", or "min–max" when the runs differ. */
function spread(values: number[]): { text: string; max: number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { text: min === max ? String(min) : `${min}–${max}`, max };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
