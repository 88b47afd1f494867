// `npm run backup [-- <target file>]`: a consistent copy of the `file:` SQLite
// database, safe while the server runs (SQLite's online backup API), then
// checked with `PRAGMA integrity_check`. Reads DATABASE_URL like the app does.
import fs from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";
import Database from "better-sqlite3";

nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const url = process.env.DATABASE_URL?.trim() || "file:./data/suno-dashboard.db";
if (/^(libsql|https?):/i.test(url)) {
  const { protocol, host } = new URL(url); // never print a token from the query string
  fail(
    `DATABASE_URL is a libSQL server (${protocol}//${host}): backups of a libSQL server are the server's job ` +
      "(Turso: point-in-time restore; self-hosted sqld: its own snapshots/bottomless replication). Nothing was copied.",
    2,
  );
}
if (!url.startsWith("file:")) fail(`Backup failed: DATABASE_URL must be a file: path or a libSQL URL (got ${JSON.stringify(url)})`);

// Same resolution as db/client.ts databaseFile(): relative to the working directory.
const source = path.resolve(process.cwd(), url.replace(/^file:(\/\/)?/, ""));
const stamp = new Date()
  .toISOString()
  .replace(/\.\d+Z$/, "Z")
  .replace(/[-:]/g, "");
const target = path.resolve(process.argv[2] ?? path.join("data", "backups", `suno-dashboard-${stamp}.db`));

try {
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (target === source || target.startsWith(`${source}-`)) throw new Error(`the target ${target} is the database itself`);
  fs.mkdirSync(path.dirname(target), { recursive: true });

  const started = performance.now();
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // All pages in one step, under one read transaction: a consistent snapshot that the
    // server's writes (WAL) neither block nor restart.
    await db.backup(target, { progress: () => 0x7fffffff }).catch((error: unknown) => {
      fs.rmSync(target, { force: true });
      throw error;
    });
  } finally {
    db.close();
  }
  const seconds = (performance.now() - started) / 1000;

  const copy = new Database(target, { fileMustExist: true });
  let tasks: number | string;
  try {
    copy.pragma("journal_mode = DELETE"); // one self-contained file, no -wal beside it
    const problems = copy.pragma("integrity_check", { simple: false }) as { integrity_check: string }[];
    if (problems[0]?.integrity_check !== "ok") {
      throw new Error(`the copy fails integrity_check: ${problems.map((p) => p.integrity_check).join("; ")}`);
    }
    const hasTasks = copy.prepare("select 1 from sqlite_master where type = 'table' and name = 'tasks'").get();
    tasks = hasTasks ? (copy.prepare("select count(*) as n from tasks").get() as { n: number }).n : "no tasks table";
  } finally {
    copy.close();
  }

  const bytes = fs.statSync(target).size;
  console.log(`Backup: ${target}`);
  console.log(`Size: ${(bytes / 1_048_576).toFixed(1)} MiB (${bytes} bytes), took ${seconds.toFixed(2)} s`);
  console.log(`Check: integrity ok, tasks: ${tasks}`);
} catch (error) {
  fail(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
}
