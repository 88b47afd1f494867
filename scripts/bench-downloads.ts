// Benchmark of downloads (issue "Keep the files"): a 200 MiB WAV from a local
// server through the worker vs. `curl -o` of the same file, next to what
// bounds it here (the same copy made durable; hashed on the way with
// standard tools; a bare Node.js hashed durable copy), each copy starting
// with no other's writeback pending; the server's peak RSS growth meanwhile; callback answer
// latency idle vs. during four such downloads, and during four `curl`
// downloads instead. Prints figures, asserts nothing. Needs a build (`npx next build`).
//   npx tsx scripts/bench-downloads.ts
// With --waveform: the cost of measuring a WAV's waveform on the way in
// instead (scripts/lib/bench-waveform.ts).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startServer } from "../tests/helpers/server";
import { startBigWavServer } from "./lib/big-wav-server";
import { benchWaveform } from "./lib/bench-waveform";
import { figure } from "./lib/summary";

const MiB = 1024 * 1024;
const SIZE = 200 * MiB; // exactly the default DOWNLOAD_MAX_BYTES
const RUNS = 3;
const LATENCY_SAMPLES = 1000;
/** How often waitStored looks at the tasks. */
const POLL_MS = 500;

if (process.argv.includes("--waveform")) {
  await benchWaveform(SIZE);
  process.exit(0);
}

type Asset = { status: string; error: string | null; storedAt: string | null; bytes: number | null };
type Detail = { assets: Asset[]; events: { type: string; at: string }[] };

const wavServer = await startBigWavServer(SIZE);
const fileUrl = wavServer.url;

const server = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "1", DOWNLOAD_TIMEOUT_SECONDS: "600" } });
const pid = server.pid()!;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-downloads-"));

/** VmRSS of the server process in bytes. */
function rss(): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const detail = async (taskId: string) => (await server.getJson<Detail>(`/api/tasks/${taskId}`)).body;
const post = (pathname: string) => fetch(new URL(pathname, server.url), { method: "POST" }).then((r) => r.arrayBuffer());
const wavCallback = (taskId: string) => ({ code: 200, msg: "success", data: { task_id: taskId, audioWavUrl: fileUrl } });

/**
 * Polls the tasks' details until each one's file is stored (after `since`).
 * As a user would watch them: the task page polls a live task every 2 s.
 * Polling every 50 ms put 80 task details a second on the server while it
 * downloaded, the bench's own load, which the controls do not have. Durations
 * come from the server's own stamps, not from when the poll saw the end.
 */
async function waitStored(taskIds: string[], since: number): Promise<Detail[]> {
  for (;;) {
    const details = await Promise.all(taskIds.map(detail));
    const assets = details.map((d) => d.assets[0]);
    const bad = assets.find((a) => a?.status === "failed");
    if (bad) throw new Error(`download failed: ${bad.error}\n${server.log().slice(-2000)}`);
    if (assets.every((a) => a?.status === "stored" && Date.parse(a.storedAt!) >= since)) return details;
    await sleep(POLL_MS);
  }
}

/** Seconds from the last download_started event to storedAt, both stamped by the server. */
function downloadSeconds(d: Detail): number {
  const started = d.events.find((e) => e.type === "download_started")!; // newest first
  return (Date.parse(d.assets[0]!.storedAt!) - Date.parse(started.at)) / 1000;
}

/** Writes back every dirty page (`sync`), so no copy pays for the previous one's writeback. */
const settle = () => promisify(execFile)("sync").then(() => undefined);

let curls = 0;
async function curlSeconds(): Promise<number> {
  const { stdout } = await promisify(execFile)("curl", [
    "-s",
    "-o",
    path.join(scratch, `curl-${++curls}.wav`),
    "-w",
    "%{time_total} %{size_download}",
    fileUrl,
  ]);
  const [seconds, size] = stdout.trim().split(" ").map(Number);
  if (size !== SIZE) throw new Error(`curl got ${size} bytes`);
  return seconds!;
}

/**
 * `curl -o`, then the file made durable (fdatasync), as a stored download
 * must be before it is reported stored: no download into storage on this
 * disk can beat it, whatever else it does with the bytes.
 */
async function durableCurlSeconds(): Promise<number> {
  const seconds = await curlSeconds();
  const started = performance.now();
  const handle = await fs.promises.open(path.join(scratch, `curl-${curls}.wav`), "r+");
  await handle.datasync();
  await handle.close();
  return seconds + (performance.now() - started) / 1000;
}

/**
 * A durable copy hashed on the way, with standard tools in three processes:
 * `curl | tee <file> | openssl dgst -sha256`, then fdatasync. What a download
 * that hashes its bytes (as ours does) costs without Node.js. Null when the
 * tools are missing.
 */
async function hashedCopySeconds(): Promise<number | null> {
  const file = path.join(scratch, `hashed-${++curls}.wav`);
  const started = performance.now();
  const copied = await promisify(execFile)("sh", [
    "-c",
    'curl -sf "$1" | tee "$2" | openssl dgst -sha256 > /dev/null',
    "sh",
    fileUrl,
    file,
  ]).then(
    () => true,
    () => false,
  );
  if (!copied || fs.statSync(file).size !== SIZE) return null;
  const handle = await fs.promises.open(file, "r+");
  await handle.datasync();
  await handle.close();
  return (performance.now() - started) / 1000;
}

/**
 * The least a Node.js download into storage does, in this process: the
 * response read in flowing mode and hashed (sha256), the chunks written with
 * writev while the next ones arrive, the disk flushing every 32 MiB on the
 * way, then fdatasync. No checks, no thread, no waveform: the floor of a
 * hashed durable copy on one thread here.
 */
async function bareNodeCopySeconds(): Promise<number> {
  const started = performance.now();
  const handle = await fs.promises.open(path.join(scratch, `node-${++curls}.wav`), "w");
  const hash = createHash("sha256");
  let position = 0;
  let flushedAt = 0;
  await new Promise<void>((resolve, reject) => {
    http
      .get(fileUrl, (response) => {
        let pending: Buffer[] = [];
        let writing = false;
        let ended = false;
        const pump = () => {
          if (writing) return;
          if (pending.length === 0) return void (ended && resolve());
          const chunks = pending;
          pending = [];
          writing = true;
          handle.writev(chunks, position).then(({ bytesWritten }) => {
            position += bytesWritten;
            writing = false;
            if (position - flushedAt >= 32 * MiB) {
              flushedAt = position;
              void handle.datasync();
            }
            response.resume();
            pump();
          }, reject);
        };
        response.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          pending.push(chunk);
          if (pending.length >= 64) response.pause();
          pump();
        });
        response.on("end", () => {
          ended = true;
          pump();
        });
        response.on("error", reject);
      })
      .on("error", reject);
  });
  await handle.datasync();
  await handle.close();
  hash.digest("hex");
  if (position !== SIZE) throw new Error(`the bare copy wrote ${position} bytes`);
  return (performance.now() - started) / 1000;
}

let seq = 0;
/** One callback's answer time in ms (a failed cover task: no download work of its own). */
async function callbackMs(): Promise<number> {
  const taskId = `bench-cb-${process.pid}-${++seq}`;
  const t0 = performance.now();
  const res = await server.callback({ code: 501, msg: "bench", data: { taskId } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`callback answered ${res.status}`);
  return performance.now() - t0;
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (values: number[]) => pct(values, 50);
const mibs = (seconds: number) => SIZE / MiB / seconds;
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const step = (text: string) => process.stderr.write(`[bench-downloads] ${text}\n`);

try {
  step(`server pid ${pid}, warming up`);
  // Warm-up: code paths loaded, JIT warm, so the baseline is the resting server.
  for (let i = 0; i < 50; i++) await callbackMs();
  const warm = `bench-warm-${process.pid}`;
  await server.callback(wavCallback(warm));
  await waitStored([warm], 0);
  await sleep(500);
  const baseline = rss();
  peak = baseline;

  step("throughput: worker vs curl");
  // 1. Throughput: worker vs curl, alternating, RUNS each.
  const worker: number[] = [];
  const curl: number[] = [];
  const durable: number[] = [];
  const hashed: number[] = [];
  const bare: number[] = [];
  const single = `bench-single-${process.pid}`;
  for (let run = 0; run < RUNS; run++) {
    await settle();
    curl.push(await curlSeconds());
    await settle();
    durable.push(await durableCurlSeconds());
    await settle();
    const hashedSeconds = await hashedCopySeconds();
    if (hashedSeconds !== null) hashed.push(hashedSeconds);
    await settle();
    bare.push(await bareNodeCopySeconds());
    await settle();
    const since = Date.now();
    if (run === 0) await server.callback(wavCallback(single));
    else await post(`/api/tasks/${single}/download`);
    worker.push(downloadSeconds((await waitStored([single], since))[0]!));
  }
  const singlePeak = peak - baseline;

  step("callback latency, idle");
  // 2. Callback latency idle.
  await sleep(300);
  peak = rss();
  const idleBase = peak;
  const idle: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) idle.push(await callbackMs());
  const idleGrowth = peak - idleBase;

  step("callback latency during four downloads");
  // 3. Four concurrent 200 MiB downloads alone: the memory the downloads themselves need.
  const four = [1, 2, 3, 4].map((n) => `bench-four-${process.pid}-${n}`);
  await sleep(300);
  peak = rss();
  const fourBase = peak;
  const fourSince = Date.now();
  await Promise.all(four.map((id) => server.callback(wavCallback(id)).then((r) => r.arrayBuffer())));
  await waitStored(four, fourSince);
  const fourAloneGrowth = peak - fourBase;

  // 4. Callback latency during four concurrent 200 MiB downloads (rounds until enough samples).
  await sleep(300);
  peak = rss();
  const loadedBase = peak;
  const loaded: number[] = [];
  const fourSeconds: number[] = [];
  for (let round = 0; round < 10 && loaded.length < LATENCY_SAMPLES; round++) {
    const since = Date.now();
    await Promise.all(four.map((id) => post(`/api/tasks/${id}/download`)));
    let done = false;
    const finished = waitStored(four, since).then((details) => {
      done = true;
      return details;
    });
    const samples: { at: number; ms: number }[] = [];
    while (!done) samples.push({ at: Date.now(), ms: await callbackMs() });
    // The round ends when the server stored its last file (its own stamp), not when the poll saw it.
    const end = Math.max(...(await finished).map((d) => Date.parse(d.assets[0]!.storedAt!)));
    loaded.push(...samples.filter((s) => s.at < end).map((s) => s.ms));
    fourSeconds.push((end - since) / 1000);
  }
  const fourPeak = peak - loadedBase;
  clearInterval(sampler);

  step("control: callback latency during four curl downloads (same CPU load from the file server)");
  const control: number[] = [];
  for (let round = 0; round < 10 && control.length < LATENCY_SAMPLES; round++) {
    let done = false;
    const curls = Promise.all([0, 1, 2, 3].map(() => curlSeconds())).then(() => (done = true));
    while (!done) control.push(await callbackMs());
    await curls;
  }

  const workerRate = mibs(median(worker));
  const curlRate = mibs(median(curl));
  console.log(`\nDownloads benchmark (200 MiB WAV from a local server, ${RUNS} runs each, medians)`);
  console.log(`  curl -o                : ${fmt(curlRate)} MiB/s   (runs: ${curl.map((s) => fmt(mibs(s))).join(", ")})`);
  console.log(`  worker (started→stored): ${fmt(workerRate)} MiB/s   (runs: ${worker.map((s) => fmt(mibs(s))).join(", ")})`);
  console.log(`  ratio worker/curl      : ${fmt(workerRate / curlRate, 2)}×   (target ≥ 0.8×)`);
  const durableRatio = mibs(median(durable)) / curlRate;
  console.log(
    `  curl -o, then fdatasync: ${fmt(mibs(median(durable)))} MiB/s = ${fmt(durableRatio, 2)}× curl -o   (runs: ${durable.map((s) => fmt(mibs(s))).join(", ")}; the ceiling of a durable copy on this disk)`,
  );
  const hashedRatio = hashed.length > 0 ? mibs(median(hashed)) / curlRate : null;
  console.log(
    hashedRatio === null
      ? "  curl, tee, openssl     : not measured (openssl missing)"
      : `  curl, tee, openssl     : ${fmt(mibs(median(hashed)))} MiB/s = ${fmt(hashedRatio, 2)}× curl -o   (runs: ${hashed.map((s) => fmt(mibs(s))).join(", ")}; a durable copy hashed on the way, then fdatasync)`,
  );
  const bareRatio = mibs(median(bare)) / curlRate;
  console.log(
    `  bare Node.js copy      : ${fmt(mibs(median(bare)))} MiB/s = ${fmt(bareRatio, 2)}× curl -o   (runs: ${bare.map((s) => fmt(mibs(s))).join(", ")}; read, sha256, writev, fdatasync on one thread)`,
  );
  console.log(`  server RSS             : baseline ${fmt(baseline / MiB)} MiB   (target: peak growth < 64 MiB)`);
  console.log(
    `    peak growth          : ${fmt(singlePeak / MiB)} MiB single downloads; ${fmt(fourAloneGrowth / MiB)} MiB four at once; ${fmt(fourPeak / MiB)} MiB four at once + callback sampling (vs ${fmt(idleGrowth / MiB)} MiB for the idle callback sampling alone)`,
  );
  console.log(`  four at once           : ${fourSeconds.map((s) => `${fmt((4 * SIZE) / MiB / s)} MiB/s`).join(", ")} aggregate per round`);
  console.log(`  callback latency idle  : p50 ${fmt(median(idle), 2)} ms, p99 ${fmt(pct(idle, 99), 2)} ms   (${idle.length} samples)`);
  console.log(
    `  callback latency busy  : p50 ${fmt(median(loaded), 2)} ms, p99 ${fmt(pct(loaded, 99), 2)} ms   (${loaded.length} samples during ${fourSeconds.length} rounds of four downloads)`,
  );
  const slowdown = pct(loaded, 99) / pct(idle, 99);
  console.log(`  busy p99 / idle p99    : ${fmt(slowdown, 2)}×   (target ≤ 3×)`);
  console.log(
    `  control, 4× curl       : p50 ${fmt(median(control), 2)} ms, p99 ${fmt(pct(control, 99), 2)} ms   (${control.length} samples; the same file-serving load without the worker)`,
  );
  figure({
    figure: "200 MiB WAV download ÷ curl -o",
    value: `${fmt(workerRate / curlRate, 2)}× (${fmt(workerRate)} ÷ ${fmt(curlRate)} MiB/s; curl -o then fdatasync: ${fmt(durableRatio, 2)}×${hashedRatio === null ? "" : `, curl piped through tee to openssl dgst, then fdatasync: ${fmt(hashedRatio, 2)}×`}; a bare Node.js hashed durable copy: ${fmt(bareRatio, 2)}×)`,
    target: "≥ 0.8×",
    met: workerRate / curlRate >= 0.8,
  });
  figure({
    figure: "callback p99 while four downloads run ÷ idle p99",
    value: `${fmt(slowdown, 2)}× (${fmt(pct(loaded, 99), 1)} ÷ ${fmt(pct(idle, 99), 1)} ms; four curl alone: ${fmt(pct(control, 99) / pct(idle, 99), 2)}×)`,
    target: "≤ 3×",
    met: slowdown <= 3,
  });
} finally {
  clearInterval(sampler);
  await server.stop();
  wavServer.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}
