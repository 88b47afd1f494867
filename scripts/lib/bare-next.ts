// The bare Next.js route the ingest benchmark compares against: an app of its
// own (scripts/bench-bare, one route), built and served apart from the
// dashboard, so that no build of the dashboard contains a benchmark route.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { freePort, ROOT } from "../../tests/helpers/ports";

const APP = path.join(ROOT, "scripts", "bench-bare");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const ENV: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };

export type BareNext = { echoUrl: string; pid: number | undefined; close: () => Promise<void> };

/** Builds the bare app (a few seconds) and serves it on a free port. */
export async function startBareNext(): Promise<BareNext> {
  const build = spawnSync(process.execPath, [NEXT_BIN, "build", APP], { cwd: ROOT, env: ENV, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`next build ${APP} failed:\n${build.stdout}${build.stderr}`);
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, "start", APP, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: ENV,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const echoUrl = `http://127.0.0.1:${port}/api/bench/echo`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bare Next.js app exited with ${child.exitCode}`);
    const answered = await fetch(echoUrl, { method: "POST", body: "{}" }).then(
      (res) => res.ok,
      () => false,
    );
    if (answered) return { echoUrl, pid: child.pid, close };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await close();
  throw new Error("the bare Next.js app did not answer within 30 s");
}
