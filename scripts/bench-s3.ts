// Benchmark of downloads into object storage: a 200 MiB WAV from a local
// server streamed by the worker into an S3 bucket (a local s3rver), as a
// multipart upload. Prints throughput and the server's peak RSS growth;
// asserts nothing. Needs a build (`npx next build`).
//   npx tsx scripts/bench-s3.ts
import fs from "node:fs";
import { startS3 } from "../tests/helpers/s3";
import { startServer } from "../tests/helpers/server";
import { startBigWavServer } from "./lib/big-wav-server";

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
const RUNS = 3;

type Detail = { assets: { status: string; error: string | null; storedAt: string | null }[]; events: { type: string; at: string }[] };

const wav = await startBigWavServer(SIZE);
const s3 = await startS3();
const server = await startServer({ env: { ...s3.env, DOWNLOAD_ALLOW_PRIVATE: "1", DOWNLOAD_TIMEOUT_SECONDS: "600" } });
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid()}/status`, "utf8"))![1]) * 1024;
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stored(taskId: string, since: number): Promise<number> {
  for (;;) {
    const { body } = await server.getJson<Detail>(`/api/tasks/${taskId}`);
    const asset = body.assets[0];
    if (asset?.status === "failed") throw new Error(`download failed: ${asset.error}`);
    if (asset?.status === "stored" && Date.parse(asset.storedAt!) >= since) {
      const started = body.events.find((e) => e.type === "download_started")!;
      return (Date.parse(asset.storedAt!) - Date.parse(started.at)) / 1000;
    }
    await sleep(50);
  }
}

try {
  const taskId = `bench-s3-${process.pid}`;
  await sleep(500);
  const baseline = rss();
  peak = baseline;
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const since = Date.now();
    if (run === 0) await server.callback({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: wav.url } });
    else await fetch(new URL(`/api/tasks/${taskId}/download`, server.url), { method: "POST" });
    seconds.push(await stored(taskId, since));
    console.log(`  run ${run + 1}: peak growth so far ${((peak - baseline) / MiB).toFixed(1)} MiB`);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  console.log(`\nDownload into S3 (200 MiB WAV, local s3rver, multipart; ${RUNS} runs)`);
  console.log(
    `  throughput : median ${(SIZE / MiB / sorted[1]!).toFixed(1)} MiB/s  (runs: ${seconds.map((s) => (SIZE / MiB / s).toFixed(1)).join(", ")})`,
  );
  console.log(
    `  server RSS : baseline ${(baseline / MiB).toFixed(1)} MiB, peak growth ${((peak - baseline) / MiB).toFixed(1)} MiB  (target < 64 MiB)`,
  );
} finally {
  clearInterval(sampler);
  await server.stop();
  await s3.stop();
  wav.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
