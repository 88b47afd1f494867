// `npm run demo`: the dashboard wired to the local fake provider, with a
// handful of cover and WAV tasks submitted (one of which only polling rescues)
// and a whole family of every kind: a music task (text, first, complete), its
// cover, its WAV, a stem separation, MIDI from the stems and a music video,
// linked as parent and children; beside them lyrics and a callback of a kind
// the dashboard does not know. Runs until Ctrl-C. Data lives in ./data-demo
// (wiped on each start).
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
// Fixed, so the fake provider can call the dashboard back for work submitted straight to it.
const callbackToken = "demo-callback-token";
const callbackUrl = `${dashboard}/api/callbacks?token=${callbackToken}`;

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
    CALLBACK_TOKEN: callbackToken,
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

async function post<T>(pathname: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${dashboard}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

type Detail = {
  task: { taskId: string; kind: string; status: string; stage: string | null; lastSource: string };
  tracks: { trackId: string }[];
};
type Answer = { task?: Detail["task"]; error?: { message: string } };

console.log(`\nSubmitting ${submissions.length} tasks to the fake provider through the dashboard:`);
const taskIds: string[] = [];
for (const { label, body } of submissions) {
  const answer = await post<Answer>("/api/tasks", body);
  console.log(`  ${answer.status}  ${label.padEnd(44)} ${answer.body.task?.taskId ?? answer.body.error?.message}`);
  if (answer.body.task && !taskIds.includes(answer.body.task.taskId)) taskIds.push(answer.body.task.taskId);
}

/** Work submitted straight to the provider (as another app of the same account would), calling the dashboard back. */
function generated(kind: Parameters<typeof fake.generate>[0], body: Record<string, string>): string {
  const answer = fake.generate(kind, { ...body, callBackUrl: callbackUrl }) as { data?: { taskId: string }; msg: string };
  if (!answer.data) throw new Error(`the fake provider refused the ${kind} task: ${answer.msg}`);
  taskIds.push(answer.data.taskId);
  return answer.data.taskId;
}
/** Asks the dashboard to follow a task submitted elsewhere, saying what it was made from. */
async function tracked(label: string, body: Record<string, string>): Promise<void> {
  const answer = await post<Answer>("/api/tasks", { action: "track", ...body });
  console.log(`  ${answer.status}  ${label.padEnd(44)} ${answer.body.task?.taskId ?? answer.body.error?.message}`);
}
async function detail(taskId: string): Promise<Detail | null> {
  const res = await fetch(`${dashboard}/api/tasks/${taskId}`);
  return res.ok ? ((await res.json()) as Detail) : null;
}

console.log("\nA family of every kind, submitted straight to the provider, which calls the dashboard back:");
const music = generated("music", { prompt: "Neon Harbour" });
console.log(`  music task ${music}: its text, first and complete callbacks arrive over ~5 s`);
generated("lyrics", { prompt: "Neon Harbour" });
// A callback of a kind the dashboard does not know (a Suno Voice phrase): kept as an `other` task.
await post("/api/callbacks?token=" + callbackToken, {
  code: 200,
  msg: "success",
  data: {
    taskId: `voice-${run}`,
    validateInfo: "Please read: the harbour lights are neon blue",
    status: "wait_validating",
    errorCode: 0,
    errorMessage: "",
  },
});
taskIds.push(`voice-${run}`);

const song = await (async () => {
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const d = await detail(music);
    if (d?.task.status === "succeeded") return d;
  }
  throw new Error(`the music task ${music} did not complete within 60 s`);
})();
const [first, second] = song.tracks.map((t) => t.trackId);
console.log(`  music complete with tracks ${first} and ${second}; now its children:`);
const cover = await post<Answer>("/api/tasks", { action: "cover", musicTaskId: music });
const wav = await post<Answer>("/api/tasks", { action: "wav", musicTaskId: music, audioId: first });
for (const answer of [cover, wav]) if (answer.body.task) taskIds.push(answer.body.task.taskId);
console.log(`  ${cover.status}  ${"its cover".padEnd(44)} ${cover.body.task?.taskId}`);
console.log(`  ${wav.status}  ${"the WAV of its first track".padEnd(44)} ${wav.body.task?.taskId}`);
const separation = generated("separation", { taskId: music, audioId: first!, type: "split_stem" });
await tracked("the stems of its first track", { kind: "separation", taskId: separation, audioId: first! });
const midi = generated("midi", { taskId: separation });
await tracked("MIDI from those stems", { kind: "midi", taskId: midi, parentTaskId: separation });
const video = generated("video", { taskId: music, audioId: second!, author: "Demo" });
await tracked("a music video of its second track", { kind: "video", taskId: video, audioId: second! });

console.log(`\nDashboard: ${dashboard}   (fake provider: ${fake.url}, data: ${path.relative(process.cwd(), dataDir)})`);
console.log(`The family starts at ${dashboard}/tasks/${music}`);
console.log("Results arrive within about 20 s; Ctrl-C stops everything.\n");

let last = "";
const watchUntil = Date.now() + 90_000;
while (Date.now() < watchUntil) {
  await new Promise((r) => setTimeout(r, 2_000));
  const tasks = (await Promise.all(taskIds.map(detail))).filter((d): d is Detail => d !== null);
  const line = tasks
    .map((t) => `${t.task.kind} ${t.task.status}${t.task.status === "pending" ? "" : ` (${t.task.lastSource})`}`)
    .join(", ");
  if (line !== last) console.log(`  tasks: ${line}`);
  last = line;
  if (tasks.length === taskIds.length && tasks.every((t) => t.task.status !== "pending")) {
    console.log(`\nEvery task is final. Browse them at ${dashboard} — Ctrl-C to stop.`);
    break;
  }
}
