// Runs a script in a network namespace of its own (unshare -rn: a user
// namespace maps this user to root there, no privileges needed on the host)
// where the loopback interface also carries a public address. Inside, a local
// server on that address is a "public" host to the dashboard's address
// checks, and nothing can leave the machine: the namespace has no other
// interface. Used to test what a public URL may lead to without the internet.
import { spawn, spawnSync } from "node:child_process";
import { killWithTests } from "./children";
import { ROOT } from "./ports";

/** A public (globally routable) IPv4 address, put on the namespace's loopback. */
export const PUBLIC_ADDRESS = "8.8.8.8";

const SETUP = `ip link set lo up && ip addr add ${PUBLIC_ADDRESS}/32 dev lo`;

/** Whether this machine lets an unprivileged user make such a namespace (answers why not when it does not). */
export function netnsProbe(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync("unshare", ["-rn", "sh", "-c", SETUP], { encoding: "utf8" });
  if (probe.error) return { ok: false, reason: `unshare: ${probe.error.message}` };
  if (probe.status !== 0) return { ok: false, reason: `unshare -rn failed: ${probe.stderr.trim()}` };
  return { ok: true };
}

/** Runs a TypeScript file (through tsx) inside the namespace; answers its exit code and output. */
export function runInNetns(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-rn", "sh", "-c", `${SETUP} && exec "$0" --import tsx "$1"`, process.execPath, script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    killWithTests(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
