// `npm run demo`: the dashboard wired to the local fake provider, with a
// handful of cover and WAV tasks submitted, one of which only polling rescues.
// Runs until Ctrl-C. Data lives in ./data-demo (wiped on each start).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startFakeProvider } from "./lib/fake-provider";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const port = Number(process.env.PORT ?? 3000);
// Loopback only: the demo is for this machine, not the network.
const dashboard = `http://127.0.0.1:${port}`;
const dataDir = path.join(root, "data-demo");

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("No production build yet: running `next build` (about a minute)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

const fake = await startFakeProvider({ delayMs: 5_000, timeScale: 0.01, log: (line) => console.log(`  [fake provider] ${line}`) });
const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
  cwd: root,
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    DATABASE_URL: `file:${path.join(dataDir, "demo.db")}`,
    STORAGE_DIR: path.join(dataDir, "files"),
    PUBLIC_BASE_URL: dashboard,
    SUNO_API_BASE_URL: fake.url,
    SUNO_API_KEY: fake.key,
    DOWNLOAD_ALLOW_PRIVATE: "1",
    POLL_AFTER_SECONDS: "10",
    POLL_INTERVAL_SECONDS: "5",
    WORKER: "1",
  },
});
let serverLog = "";
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));

async function shutdown(code = 0) {
  if (server.pid && server.exitCode === null) process.kill(server.pid, "SIGTERM");
  await fake.stop();
  process.exit(code);
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
server.once("exit", (code) => {
  console.error(`The dashboard exited (${code}).\n${serverLog.slice(-3000)}`);
  void fake.stop().then(() => process.exit(1));
});

const deadline = Date.now() + 60_000;
for (;;) {
  const ok = await fetch(`${dashboard}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (Date.now() > deadline) {
    console.error(`The dashboard did not start within 60 s.\n${serverLog.slice(-3000)}`);
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}

const run = Date.now().toString(36);
const submissions: { label: string; body: Record<string, string> }[] = [
  { label: "cover, callback", body: { action: "cover", musicTaskId: `demo-${run}-song1` } },
  { label: "cover, delivered twice", body: { action: "cover", musicTaskId: `demo-${run}-song2-dup-2` } },
  { label: "cover, no callback: only polling finds it", body: { action: "cover", musicTaskId: `demo-${run}-song3-nocallback` } },
  { label: "cover that fails (531, credits refunded)", body: { action: "cover", musicTaskId: `demo-${run}-song4-fail-531` } },
  { label: "WAV, callback", body: { action: "wav", musicTaskId: `demo-${run}-song1`, audioId: "track-a" } },
  {
    label: "WAV, no callback: only polling finds it",
    body: { action: "wav", musicTaskId: `demo-${run}-song2`, audioId: "track-b-nocallback" },
  },
  { label: "WAV that fails (451)", body: { action: "wav", musicTaskId: `demo-${run}-song5`, audioId: "track-c-fail-451" } },
  { label: "cover again: the provider says it exists", body: { action: "cover", musicTaskId: `demo-${run}-song1` } },
];

console.log(`\nSubmitting ${submissions.length} tasks to the fake provider through the dashboard:`);
const taskIds: string[] = [];
for (const { label, body } of submissions) {
  const res = await fetch(`${dashboard}/api/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { task?: { taskId: string }; error?: { message: string } };
  console.log(`  ${res.status}  ${label.padEnd(44)} ${answer.task?.taskId ?? answer.error?.message}`);
  if (answer.task && !taskIds.includes(answer.task.taskId)) taskIds.push(answer.task.taskId);
}

console.log(`\nDashboard: ${dashboard}   (fake provider: ${fake.url}, data: ${path.relative(process.cwd(), dataDir)})`);
console.log("Results arrive within about 20 s; Ctrl-C stops everything.\n");

let last = "";
const watchUntil = Date.now() + 90_000;
while (Date.now() < watchUntil) {
  await new Promise((r) => setTimeout(r, 2_000));
  const tasks = await Promise.all(
    taskIds.map((id) =>
      fetch(`${dashboard}/api/tasks/${id}`).then((r) => r.json() as Promise<{ task: { status: string; lastSource: string } }>),
    ),
  );
  const line = tasks.map((t) => `${t.task.status}${t.task.status === "pending" ? "" : ` (${t.task.lastSource})`}`).join(", ");
  if (line !== last) console.log(`  tasks: ${line}`);
  last = line;
  if (tasks.every((t) => t.task.status !== "pending")) {
    console.log(`\nEvery task is final. Browse them at ${dashboard} — Ctrl-C to stop.`);
    break;
  }
}
