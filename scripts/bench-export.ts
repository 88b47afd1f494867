// Benchmark of the export (issue 11): ≥ 1 GiB of stored WAV files, stored the
// way the app stores them (callbacks → downloads from a local big-file
// server), exported as one ZIP by GET /api/export and read by `curl -o
// /dev/null`. Prints throughput, time to first byte and the server's peak RSS
// growth (target < 64 MiB); one stored file served by /api/assets/{id}/file
// is the reference for throughput. Asserts nothing. Needs a build.
//   npx tsx scripts/bench-export.ts
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { startServer } from "../tests/helpers/server";
import { startBigWavServer } from "./lib/big-wav-server";

const MiB = 1024 * 1024;
const SIZE = 200 * MiB; // the default DOWNLOAD_MAX_BYTES
const FILES = 6; // 1200 MiB
const RUNS = 3;

type Detail = { assets: { id: number; status: string; error: string | null }[] };

const step = (text: string) => process.stderr.write(`[bench-export] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const wavServer = await startBigWavServer(SIZE);
const server = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "1", DOWNLOAD_TIMEOUT_SECONDS: "600" } });
const pid = server.pid()!;

function rss(): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
}
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);

/** One download by curl: total seconds, seconds to the first byte, bytes. */
async function curl(pathname: string): Promise<{ seconds: number; firstByte: number; size: number }> {
  const { stdout } = await promisify(execFile)("curl", [
    "-sS",
    "-o",
    "/dev/null",
    "-w",
    "%{time_total} %{time_starttransfer} %{size_download} %{http_code}",
    new URL(pathname, server.url).toString(),
  ]);
  const [seconds, firstByte, size, status] = stdout.trim().split(" ").map(Number);
  if (status !== 200) throw new Error(`${pathname} answered ${status}`);
  return { seconds: seconds!, firstByte: firstByte!, size: size! };
}

try {
  const prefix = `bench-export-${process.pid}`;
  const ids = Array.from({ length: FILES }, (_, i) => `${prefix}-${i}`);
  step(`server pid ${pid}: storing ${FILES} × ${SIZE / MiB} MiB WAV files`);
  for (const id of ids) {
    await server.callback({ code: 200, msg: "success", data: { task_id: id, audioWavUrl: wavServer.url } });
  }
  let details: Detail[] = [];
  for (;;) {
    details = await Promise.all(ids.map(async (id) => (await server.getJson<Detail>(`/api/tasks/${id}`)).body));
    const failed = details.flatMap((d) => d.assets).find((a) => a.status === "failed");
    if (failed) throw new Error(`download failed: ${failed.error}`);
    if (details.every((d) => d.assets[0]?.status === "stored")) break;
    await sleep(200);
  }
  const stored = FILES * SIZE;

  step("warming up");
  for (let i = 0; i < 20; i++) await curl(`/api/tasks/${ids[0]}/archive?warm=${i}`).catch(() => undefined);
  await curl(`/api/export?q=${prefix}-0`);
  await sleep(500);
  const baseline = rss();

  step(`exporting ${stored / MiB} MiB, ${RUNS} runs`);
  const runs: { seconds: number; firstByte: number; size: number; growth: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    await sleep(300);
    peak = rss();
    const before = peak;
    const result = await curl(`/api/export?q=${prefix}`);
    runs.push({ ...result, growth: peak - before });
  }
  const reference: number[] = [];
  for (let run = 0; run < RUNS; run++) reference.push((await curl(`/api/assets/${details[0]!.assets[0]!.id}/file`)).seconds);

  const rates = runs.map((r) => r.size / MiB / r.seconds);
  const refRate = SIZE / MiB / median(reference);
  console.log(
    `\nExport benchmark (${FILES} stored WAV files of ${SIZE / MiB} MiB = ${fmt(stored / MiB, 0)} MiB, local storage, ${RUNS} runs)`,
  );
  console.log(`  archive size           : ${fmt(runs[0]!.size / MiB)} MiB`);
  console.log(`  throughput             : ${fmt(median(rates))} MiB/s median   (runs: ${rates.map((r) => fmt(r)).join(", ")})`);
  console.log(`  one stored file served : ${fmt(refRate)} MiB/s   (GET /api/assets/{id}/file, the reference)`);
  console.log(`  time to first byte     : ${runs.map((r) => `${fmt(r.firstByte * 1000, 0)} ms`).join(", ")}`);
  console.log(
    `  server RSS             : baseline ${fmt(baseline / MiB)} MiB; peak growth ${runs.map((r) => `${fmt(r.growth / MiB)} MiB`).join(", ")}   (target < 64 MiB)`,
  );
} finally {
  clearInterval(sampler);
  await server.stop();
  wavServer.stop();
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
