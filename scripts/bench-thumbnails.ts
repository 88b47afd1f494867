// Benchmark of cover thumbnails under attack (issue 17): what a hostile
// progressive JPEG (scripts/lib/media.ts) costs sharp alone, then how
// `GET /api/health` answers while the server stores such covers (beside the
// worst hostile ones the limits still let through, and real covers as large
// as allowed) and is asked for their thumbnails. Prints figures (health
// latency, downloads per cover, thumbnail attempts, server RSS), asserts
// nothing. Needs a build (`npx next build`). Before the limits (8 hostile
// covers): /api/health took up to 26 s, 17 downloads, 9 attempts, 3 GB RSS.
//   npx tsx scripts/bench-thumbnails.ts
import fs from "node:fs";
import sharp from "sharp";
import { coverSuccess } from "../tests/helpers/callbacks";
import { bytes, startFileServer } from "../tests/helpers/file-server";
import { startServer } from "../tests/helpers/server";
import { makeHostileJpeg } from "./lib/media";

const HOSTILE_TASKS = 4;
const WORST_ALLOWED_TASKS = 4;
const LARGE_TASKS = 4;
const COVERS_PER_TASK = 2;
/** The storing phase is measured at most this long (a server without the limits may take many minutes). */
const MAX_SECONDS = 120;

const hostile = makeHostileJpeg();
// The most the limits let through: 4096² pixels, 99 scans.
const worstAllowed = makeHostileJpeg({ size: 4096, scans: 98 });
// A real cover as large as allowed: 4096² progressive JPEG.
const large = await sharp({ create: { width: 4096, height: 4096, channels: 3, background: "#8040c0" } })
  .jpeg({ progressive: true })
  .toBuffer();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

async function sharpAlone(image: Buffer): Promise<string> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await sharp(image, { limitInputPixels: 50_000_000 })
    .resize({ width: 320 })
    .webp()
    .toBuffer()
    .then(
      () => "made",
      (error: Error) => `failed (${error.message.split("\n")[0]})`,
    );
  const used = process.cpuUsage(cpu);
  return `${((performance.now() - started) / 1000).toFixed(1)} s, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU: ${outcome}`;
}

console.log(`hostile JPEG: ${hostile.length} bytes, 7000×7000, 3001 scans`);
console.log(`  sharp alone, without the dashboard's limits: ${await sharpAlone(hostile)}`);
console.log(`worst cover the limits let through: ${worstAllowed.length} bytes, 4096×4096, 99 scans`);
console.log(`  sharp alone: ${await sharpAlone(worstAllowed)}`);
console.log(`large real cover: ${large.length} bytes, 4096×4096 progressive`);
console.log(`  sharp alone: ${await sharpAlone(large)}`);

const files = await startFileServer();
files.route("/hostile.jpg", bytes(hostile, "image/jpeg"));
files.route("/worst.jpg", bytes(worstAllowed, "image/jpeg"));
files.route("/large.jpg", bytes(large, "image/jpeg"));
const server = await startServer({ env: { DOWNLOAD_ALLOW_PRIVATE: "1" } });
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid()}/status`, "utf8"))![1]) * 1024;
let peak = rss();
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

async function healthTimes(until: () => boolean, max = Infinity): Promise<number[]> {
  const times: number[] = [];
  while (!until() && times.length < max) {
    const started = performance.now();
    const res = await fetch(new URL("/api/health", server.url));
    await res.arrayBuffer();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

try {
  const idle = await healthTimes(() => false, 100);
  console.log(`\n/api/health idle: median ${ms(percentile(idle, 50))}, p95 ${ms(percentile(idle, 95))}, max ${ms(idle.at(-1)!)}`);
  const baseline = rss();

  type Detail = { assets: { id: number; status: string; thumbnailUrl: string | null }[] };
  const taskIds: string[] = [];
  const covers = (name: string, task: number) => Array.from({ length: COVERS_PER_TASK }, (_, i) => `${files.url}/${name}?${task}-${i}`);
  const sent = [
    ...Array.from({ length: HOSTILE_TASKS }, (_, i) => ["hostile.jpg", i] as const),
    ...Array.from({ length: WORST_ALLOWED_TASKS }, (_, i) => ["worst.jpg", i] as const),
    ...Array.from({ length: LARGE_TASKS }, (_, i) => ["large.jpg", i] as const),
  ];
  const started = performance.now();
  for (const [name, i] of sent) {
    const taskId = `bench-thumb-${name.replace(".jpg", "")}-${i}-${Date.now().toString(16)}`;
    taskIds.push(taskId);
    await server.callback(coverSuccess(taskId, covers(name, i)));
  }
  let settled = false;
  let thumbnailRequests = 0;
  const watcher = (async () => {
    while (!settled) {
      const details = await Promise.all(taskIds.map((id) => server.getJson<Detail>(`/api/tasks/${id}`)));
      const assets = details.flatMap((d) => d.body.assets);
      // The list asks for thumbnails as covers are stored: so do we, each time round.
      await Promise.all(
        assets
          .filter((a) => a.status === "stored" && a.thumbnailUrl)
          .map((a) => fetch(new URL(a.thumbnailUrl!, server.url)).then((r) => (thumbnailRequests++, r.arrayBuffer()))),
      );
      settled = assets.length === taskIds.length * COVERS_PER_TASK && assets.every((a) => a.status === "stored" || a.status === "failed");
      await sleep(200);
    }
  })();
  const deadline = started + MAX_SECONDS * 1000;
  const busy = await healthTimes(() => settled || performance.now() > deadline);
  const finished = settled;
  settled = true;
  await watcher;
  const seconds = (performance.now() - started) / 1000;
  if (!finished) console.log(`covers not all stored or failed after ${MAX_SECONDS} s`);
  await sleep(2_000); // a lease running out would show as a second download
  console.log(
    `/api/health while ${sent.length * COVERS_PER_TASK} covers were stored (${seconds.toFixed(1)} s, ${busy.length} requests): ` +
      `median ${ms(percentile(busy, 50))}, p95 ${ms(percentile(busy, 95))}, max ${ms(busy.at(-1)!)}`,
  );
  const rows = await server.sql<{ status: string; attempts: number; thumb: string | null }>(
    "select status, attempts, thumbnail_path as thumb from assets",
  );
  console.log(
    `downloads: ${files.hits("/hostile.jpg")} of ${HOSTILE_TASKS * COVERS_PER_TASK} hostile covers, ` +
      `${files.hits("/worst.jpg")} of ${WORST_ALLOWED_TASKS * COVERS_PER_TASK} worst allowed, ` +
      `${files.hits("/large.jpg")} of ${LARGE_TASKS * COVERS_PER_TASK} large; ` +
      `${rows.filter((r) => r.status === "stored").length} of ${rows.length} stored, ` +
      `most attempts ${Math.max(...rows.map((r) => r.attempts))}`,
  );
  const failures = server
    .log()
    .split("\n")
    .filter((line) => line.includes("no thumbnail")).length;
  console.log(
    `thumbnails: ${rows.filter((r) => r.thumb).length} made, ${failures} attempts failed, ${thumbnailRequests} thumbnail requests served`,
  );
  console.log(`server RSS: ${(baseline / 2 ** 20).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  await server.close();
  await files.close();
}
