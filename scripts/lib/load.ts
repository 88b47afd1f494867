// A small closed-loop HTTP load generator (keep-alive, N connections) that
// reports requests/s and latency percentiles.
import http from "node:http";

export type LoadResult = {
  requests: number;
  errors: number;
  statuses: Record<number, number>;
  rps: number;
  p50: number;
  p99: number;
  max: number;
};

export async function runLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  body: (i: number) => string;
  method?: string;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
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
          method: options.method ?? "POST",
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
        const status = await one(options.body(counter++));
        latencies.push(performance.now() - t0);
        if (status === 0) errors++;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    statuses,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1) ?? 0,
  };
}
