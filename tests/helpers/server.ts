// Starts the real production server (`next start` on the build in .next) on a
// free port with its own temporary storage folder and database: a SQLite file
// (better-sqlite3, `file:`) or a fresh libSQL server (`sqld`, `http://`), chosen
// by `options.database`, default `$TEST_DATABASE`, else better-sqlite3.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { InValue, ResultSet } from "@libsql/client/http";
import { killWithTests } from "./children";
import { requestJson, type JsonAnswer } from "./http";
import { freePort, ROOT } from "./ports";
import { startSqld, type Sqld } from "./sqld";

export { freePort, ROOT };

// Real example payloads, copied from the project spec so a clone runs anywhere.
export const FIXTURES = path.join(ROOT, "tests", "fixtures");
export const TOKEN = "test-token-0123456789abcdef";
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export type DatabaseDriver = "better-sqlite3" | "libsql";

export type TestServer = {
  url: string;
  port: number;
  dataDir: string;
  /** The SQLite file, for `file:` servers only (throws on libSQL ones): prefer `sql()`. */
  dbFile: string;
  storageDir: string;
  env: Record<string, string>;
  /** The driver the app uses for `databaseUrl`. */
  database: DatabaseDriver;
  /** The app's DATABASE_URL: `file:<path>` or the sqld's `http://127.0.0.1:<port>`. */
  databaseUrl: string;
  /** The sqld this server started (libsql, no `databaseUrl` given), while it has one. */
  readonly sqld: Sqld | undefined;
  /**
   * Runs a read query on the server's database from the test process, whatever
   * the driver: a read-only better-sqlite3 handle on the file, or a read-only
   * batch through @libsql/client/http. Rows are plain objects (BLOBs as Buffer).
   */
  sql: <T = Record<string, unknown>>(query: string, args?: unknown[]) => Promise<T[]>;
  /** The server's output so far, for failure messages. */
  log: () => string;
  /** PID of the running server process (it is `next start` itself, no child), e.g. to read its memory. */
  pid: () => number | undefined;
  /** POSTs a JSON (or raw string) callback with the test token. */
  callback: (body: unknown, options?: { path?: string; token?: string | null; headers?: Record<string, string> }) => Promise<Response>;
  /** `requestJson(server, pathname)` (tests/helpers/http.ts). */
  getJson: <T = unknown>(pathname: string) => Promise<JsonAnswer<T>>;
  /**
   * Ends the process: SIGTERM by default, SIGKILL to simulate a crash. With
   * SIGTERM it also stops the sqld this server started (never a shared one);
   * with SIGKILL that sqld stays up, as a database server would when the app
   * crashes. Either way its data is kept for `restart()`.
   */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /**
   * Starts a new process on the same data (and port). Only the app process is
   * stopped and started; a sqld this server started keeps running, or is
   * started again on the same folder and port (same data, same URL) if `stop()` ended it.
   */
  restart: () => Promise<void>;
  /** Stops the app (SIGTERM) and the sqld this server started. The data stays in `dataDir`. */
  close: () => Promise<void>;
};

export type StartOptions = {
  /** Environment of the app; these win over everything the helper sets (DATABASE_URL too). */
  env?: Record<string, string>;
  /** Reuse this folder: same storage and, for file:, the same database. */
  dataDir?: string;
  /** Driver of the app's database; default `$TEST_DATABASE`, else "better-sqlite3". */
  database?: DatabaseDriver;
  /**
   * Use this database instead of creating one, e.g. another server's
   * `databaseUrl` so two app servers share one sqld (it is not stopped by this
   * server). Its scheme decides the driver when `database` is not given.
   */
  databaseUrl?: string;
};

/** The driver named by $TEST_DATABASE, or better-sqlite3 when it is unset. */
export function defaultDatabase(): DatabaseDriver {
  const value = process.env.TEST_DATABASE?.trim();
  if (!value) return "better-sqlite3";
  if (value === "better-sqlite3" || value === "libsql") return value;
  throw new Error(`TEST_DATABASE must be "better-sqlite3" or "libsql", not ${JSON.stringify(value)}`);
}

/** The driver the app picks for a DATABASE_URL (undefined when it would refuse it). */
export function driverOf(databaseUrl: string): DatabaseDriver | undefined {
  if (/^file:/.test(databaseUrl)) return "better-sqlite3";
  if (/^(libsql|https?):/.test(databaseUrl)) return "libsql";
  return undefined;
}

/** Running sqld of each sqld folder, so servers on one dataDir share it like they share a file. */
const sqldByFolder = new Map<string, Sqld>();

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (npm test does it).");
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "suno-test-"));
  const port = await freePort();
  const storageDir = path.join(dataDir, "files");
  const givenUrl = options.env?.DATABASE_URL || options.databaseUrl;
  const database = options.database ?? (givenUrl ? driverOf(givenUrl) : undefined) ?? defaultDatabase();
  if (givenUrl && driverOf(givenUrl) && driverOf(givenUrl) !== database) {
    throw new Error(`database "${database}" does not match the DATABASE_URL ${givenUrl}`);
  }

  // libsql without a given URL: a sqld of this server's own, its data in dataDir/sqld.
  const sqldFolder = path.join(dataDir, "sqld");
  let ownSqld: Sqld | undefined;
  let databaseUrl: string;
  if (givenUrl) {
    databaseUrl = givenUrl;
  } else if (database === "libsql") {
    const running = sqldByFolder.get(sqldFolder);
    if (running?.running()) {
      databaseUrl = running.url; // another server on this dataDir started it: share, do not own
    } else {
      ownSqld = await startSqld({ dir: sqldFolder });
      sqldByFolder.set(sqldFolder, ownSqld);
      databaseUrl = ownSqld.url;
    }
  } else {
    databaseUrl = `file:${path.join(dataDir, "test.db")}`;
  }

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: storageDir,
    CALLBACK_TOKEN: TOKEN,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    WORKER: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
  const appDatabaseUrl = env.DATABASE_URL ?? databaseUrl; // options.env may have overridden it
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
    killWithTests(child);
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    await waitForHealth(url, child, () => output);
  };

  const stopApp = async (signal: NodeJS.Signals = "SIGTERM") => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    // Next waits for open requests before it exits: a server stuck on one must not hang the tests.
    const force = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(force);
  };

  const stopOwnSqld = async () => {
    if (!ownSqld) return;
    await ownSqld.stop();
    if (sqldByFolder.get(sqldFolder) === ownSqld) sqldByFolder.delete(sqldFolder);
  };

  const server: TestServer = {
    url,
    port,
    dataDir,
    dbFile: "",
    storageDir,
    env,
    database,
    databaseUrl: appDatabaseUrl,
    get sqld() {
      return ownSqld?.running() ? ownSqld : undefined;
    },
    sql: (query, args = []) => querySql(appDatabaseUrl, env.DATABASE_AUTH_TOKEN, query, args),
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
    getJson: (pathname) => requestJson(url, pathname),
    stop: async (signal = "SIGTERM") => {
      await stopApp(signal);
      if (signal !== "SIGKILL") await stopOwnSqld();
    },
    restart: async () => {
      await stopApp();
      if (ownSqld && !ownSqld.running()) {
        // Same folder and port: same data, and DATABASE_URL stays right.
        ownSqld = await startSqld({ dir: sqldFolder, port: ownSqld.port });
        sqldByFolder.set(sqldFolder, ownSqld);
      }
      await launch();
    },
    close: async () => {
      await stopApp();
      await stopOwnSqld();
    },
  };
  // dbFile only makes sense for file: databases; reading it on a libSQL server is a test bug.
  Object.defineProperty(server, "dbFile", {
    enumerable: false,
    get: () => {
      if (!appDatabaseUrl.startsWith("file:")) {
        throw new Error(`dbFile: this server's database is ${appDatabaseUrl} (${database}), not a file: use server.sql()`);
      }
      return databaseFile(appDatabaseUrl);
    },
  });
  try {
    await launch();
  } catch (error) {
    await stopApp("SIGKILL"); // on a timeout it may still be running
    await stopOwnSqld();
    throw error;
  }
  return server;
}

/** The file a `file:` DATABASE_URL names, resolved like the app does (from its cwd, ROOT). */
function databaseFile(databaseUrl: string): string {
  return path.resolve(ROOT, databaseUrl.replace(/^file:(\/\/)?/, "").replace(/\?.*$/, ""));
}

async function querySql<T>(databaseUrl: string, authToken: string | undefined, query: string, args: unknown[]): Promise<T[]> {
  if (databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseFile(databaseUrl), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).all(...args) as T[];
    } finally {
      db.close();
    }
  }
  const { createClient } = await import("@libsql/client/http");
  const client = createClient({ url: databaseUrl, authToken: authToken || undefined });
  try {
    // sqld does not enforce "read" mode (a write in a "read" batch commits), so
    // the query runs in a transaction that is always rolled back: it can never
    // change the database. Writes that touch rows fail, as on the read-only file.
    // eslint-disable-next-line no-restricted-syntax -- a read, always rolled back; the rule is about atomic writes
    const tx = await client.transaction("read");
    let result: ResultSet;
    try {
      result = await tx.execute({ sql: query, args: args as InValue[] });
    } finally {
      await tx.rollback().catch(() => {});
      tx.close();
    }
    if (result.rowsAffected > 0) {
      throw new Error(`sql() is for reads; this query changed ${result.rowsAffected} row(s) (rolled back): ${query}`);
    }
    return result.rows.map((row) => {
      const plain: Record<string, unknown> = {};
      result.columns.forEach((column, i) => {
        const value = row[i];
        plain[column] = value instanceof ArrayBuffer ? Buffer.from(value) : value;
      });
      return plain as T;
    });
  } finally {
    client.close();
  }
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
