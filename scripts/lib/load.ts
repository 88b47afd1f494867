// A closed-loop HTTP load generator (keep-alive, N connections) that reports
// requests/s and latency percentiles. Uses wrk when installed (`apt-get install
// wrk`): written in C, it leaves more of a small machine to the server under
// test; otherwise a Node loop does the same job.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export type LoadResult = { tool: "wrk" | "node"; requests: number; non200: number; rps: number; p50: number; p99: number; max: number };

export type LoadOptions = {
  url: string;
  connections: number;
  seconds: number;
  /** A JSON body; each `{{n}}` becomes a token unique to the request. */
  bodyTemplate: string;
};

const wrkPath = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
})();

export const loadTool = wrkPath ? "wrk" : "node";

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return wrkPath ? runWrk(wrkPath, options) : runNode(options);
}

const run = Date.now().toString(36);

async function runWrk(wrk: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  // Lua builds each body from the template's parts around a per-request id.
  const bodyExpression = options.bodyTemplate
    .split("{{n}}")
    .map((part) => JSON.stringify(part))
    .join(" .. id .. ");
  const lua = `
local counter = 0
local prefix = ${JSON.stringify(`${run}-${process.hrtime.bigint().toString(36)}`)}
function setup(thread) thread:set("tid", tostring(math.random(1, 1e9))) end
function request()
  counter = counter + 1
  local id = prefix .. "-" .. tid .. "-" .. counter
  local body = ${bodyExpression}
  return wrk.format("POST", ${JSON.stringify(target.pathname + target.search)}, { ["Content-Type"] = "application/json" }, body)
end
function done(summary, latency, requests)
  local non200 = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %f %f %f %f\\n", summary.requests, non200, summary.duration, latency:percentile(50), latency:percentile(99), latency.max))
end`;
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrk-")), "load.lua");
  fs.writeFileSync(script, lua);
  const threads = Math.min(2, options.connections);
  const { stdout } = await promisify(execFile)(wrk, [
    "-t",
    String(threads),
    "-c",
    String(options.connections),
    "-d",
    `${options.seconds}s`,
    "-s",
    script,
    `${target.origin}/`,
  ]);
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const [requests, non200, durationUs, p50Us, p99Us, maxUs] = line.split(" ").slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { tool: "wrk", requests, non200, rps: requests / (durationUs / 1e6), p50: p50Us / 1000, p99: p99Us / 1000, max: maxUs / 1000 };
}

async function runNode(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let non200 = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const one = (body: string) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });

  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await one(options.bodyTemplate.replaceAll("{{n}}", `${run}-${counter++}`));
        latencies.push(performance.now() - t0);
        if (status !== 200) non200++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    tool: "node",
    requests: latencies.length,
    non200,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1) ?? 0,
  };
}
