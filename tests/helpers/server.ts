// Starts the real production server (`next start` on the build in .next) on a
// free port with its own temporary SQLite file and storage folder.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const FIXTURES = path.resolve(ROOT, "..", "shared", "fixtures");
export const TOKEN = "test-token-0123456789abcdef";
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type TestServer = {
  url: string;
  port: number;
  dataDir: string;
  dbFile: string;
  storageDir: string;
  env: Record<string, string>;
  /** The server's output so far, for failure messages. */
  log: () => string;
  /** PID of the running server process (it is `next start` itself, no child), e.g. to read its memory. */
  pid: () => number | undefined;
  /** POSTs a JSON (or raw string) callback with the test token. */
  callback: (body: unknown, options?: { path?: string; token?: string | null; headers?: Record<string, string> }) => Promise<Response>;
  getJson: <T = unknown>(pathname: string) => Promise<{ status: number; body: T }>;
  /** Ends the process: SIGTERM by default, SIGKILL to simulate a crash. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts a new process on the same data (and port). */
  restart: () => Promise<void>;
};

export type StartOptions = { env?: Record<string, string>; dataDir?: string };

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (npm test does it).");
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "suno-test-"));
  const port = await freePort();
  const dbFile = path.join(dataDir, "test.db");
  const storageDir = path.join(dataDir, "files");
  const env: Record<string, string> = {
    DATABASE_URL: `file:${dbFile}`,
    STORAGE_DIR: storageDir,
    CALLBACK_TOKEN: TOKEN,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    WORKER: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let output = "";
  const url = `http://127.0.0.1:${port}`;

  const launch = async () => {
    output = "";
    child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitForHealth(url, child, () => output);
  };

  const server: TestServer = {
    url,
    port,
    dataDir,
    dbFile,
    storageDir,
    env,
    log: () => output,
    pid: () => child?.pid,
    callback: (body, opts = {}) => {
      const target = new URL(opts.path ?? "/api/callbacks", url);
      const token = opts.token === undefined ? TOKEN : opts.token;
      if (token !== null) target.searchParams.set("token", token);
      return fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", ...opts.headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    getJson: async (pathname) => {
      const res = await fetch(new URL(pathname, url));
      return { status: res.status, body: await res.json() };
    },
    stop: async (signal = "SIGTERM") => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill(signal);
      await exited;
    },
    restart: async () => {
      await server.stop();
      await launch();
    },
  };
  await launch();
  return server;
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Server did not become healthy within 30 s:\n${log()}`);
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}
