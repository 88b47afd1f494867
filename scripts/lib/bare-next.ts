// The routes the ingest benchmark compares against, in an app of their own
// (scripts/bench-bare), built and served apart from the dashboard so that no
// build of the dashboard contains a benchmark route: the bare route (the
// framework's ceiling) and the least durable ack (the floor under any
// callback route that commits before it answers).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, ROOT } from "../../tests/helpers/ports";
import { TOKEN } from "../../tests/helpers/server";

const APP = path.join(ROOT, "scripts", "bench-bare");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const ENV: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };

export type BareNext = { echoUrl: string; floorUrl: string; pid: number | undefined; close: () => Promise<void> };

/** Builds the bare app (a few seconds) and serves it on a free port; the floor's database is a new file. */
export async function startBareNext(): Promise<BareNext> {
  const build = spawnSync(process.execPath, [NEXT_BIN, "build", APP], { cwd: ROOT, env: ENV, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`next build ${APP} failed:\n${build.stdout}${build.stderr}`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-bench-floor-"));
  const child = spawn(process.execPath, [NEXT_BIN, "start", APP, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...ENV, BENCH_FLOOR_DATABASE: path.join(dataDir, "floor.db"), BENCH_FLOOR_TOKEN: TOKEN },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const echoUrl = `http://127.0.0.1:${port}/api/bench/echo`;
  const floorUrl = `http://127.0.0.1:${port}/api/bench/floor?token=${TOKEN}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bare Next.js app exited with ${child.exitCode}`);
    const answered = await fetch(echoUrl, { method: "POST", body: "{}" }).then(
      (res) => res.ok,
      () => false,
    );
    if (answered) return { echoUrl, floorUrl, pid: child.pid, close };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await close();
  throw new Error("the bare Next.js app did not answer within 30 s");
}
