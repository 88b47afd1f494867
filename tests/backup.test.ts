// `npm run backup`: a consistent copy of a live WAL database while another
// process keeps writing to it. Runs the script itself; needs no Next build.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCRIPT = path.join(ROOT, "scripts", "backup.ts");
const TSX = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "suno-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; stdout: string; stderr: string };

/** Runs the backup script in `dir` (so relative paths resolve there, and no project .env applies). */
async function backup(databaseUrl: string, args: string[] = []): Promise<Run> {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", TSX, SCRIPT, ...args], { cwd: dir, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function createDb(file: string, rows: number) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("create table tasks (id integer primary key, task_id text not null, body blob)");
  db.prepare(
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < ?) insert into tasks (task_id, body) select 'seed-' || i, randomblob(1000) from n",
  ).run(rows);
  db.close();
}

const count = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from tasks").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

// Another process writing batches as fast as it can, like a busy server.
const WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("busy_timeout = 5000");
const insert = db.prepare("insert into tasks (task_id, body) values (?, randomblob(1000))");
const batch = db.transaction((n) => { for (let i = 0; i < 20; i++) insert.run("w-" + n + "-" + i); });
let n = 0;
let stop = false;
process.on("SIGTERM", () => { stop = true; });
(function loop() {
  if (stop) { db.close(); process.stdout.write("stopped " + n + "\\n"); return; }
  batch(n++);
  if (n === 1) process.stdout.write("writing\\n");
  setImmediate(loop);
})();
`;

it("copies a database that another process keeps writing to, and the copy is whole", async () => {
  const live = path.join(dir, "live.db");
  createDb(live, 5000);

  const writer = spawn(process.execPath, ["-e", WRITER, live], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  writer.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => writer.on("exit", resolve));
  try {
    await expect.poll(() => out, { timeout: 10_000 }).toContain("writing");
    const before = count(live);

    // Relative DATABASE_URL and the default target, both under the working directory.
    const run = await backup("file:./live.db");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const target = /^Backup: (.+)$/m.exec(run.stdout)?.[1];
    expect(target).toMatch(/[/\\]data[/\\]backups[/\\]suno-dashboard-\d{8}T\d{6}Z\.db$/);
    expect(path.dirname(target!)).toBe(path.join(dir, "data", "backups"));
    expect(run.stdout).toMatch(/^Size: [\d.]+ MiB \(\d+ bytes\), took [\d.]+ s$/m);
    expect(run.stdout).toMatch(/^Check: integrity ok, tasks: \d+$/m);

    writer.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped \d+/);
    const final = count(live);

    const copy = new Database(target!, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      const copied = (copy.prepare("select count(*) as n from tasks").get() as { n: number }).n;
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(final);
      expect(final).toBeGreaterThan(before); // the writer really ran beside the backup
      expect(run.stdout).toContain(`tasks: ${copied}`);
      // A snapshot: whole batches of the writer only.
      const partial = copy.prepare("select count(*) as n from tasks where task_id like 'w-%'").get() as { n: number };
      expect(partial.n % 20).toBe(0);
    } finally {
      copy.close();
    }
    expect(fs.existsSync(`${target}-wal`)).toBe(false);
  } finally {
    if (writer.exitCode === null) writer.kill("SIGKILL");
  }
});

it("writes to the target given on the command line", async () => {
  const small = path.join(dir, "small.db");
  createDb(small, 3);
  const target = path.join(dir, "elsewhere", "copy.db");
  const run = await backup(`file:${small}`, [target]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`Backup: ${target}`);
  expect(run.stdout).toContain("tasks: 3");
  expect(count(target)).toBe(3);
});

it("fails with one clear line when there is no database", async () => {
  const run = await backup("file:./missing.db");
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe(`Backup failed: no database at ${path.join(dir, "missing.db")}`);
  expect(fs.existsSync(path.join(dir, "missing.db"))).toBe(false);
});

it("leaves libSQL servers to their own backups: exit 2, no token shown", async () => {
  const run = await backup("libsql://suno-example.turso.io?authToken=secret-token");
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /^DATABASE_URL is a libSQL server \(libsql:\/\/suno-example\.turso\.io\): backups of a libSQL server are the server's job/,
  );
  expect(run.stderr).not.toContain("secret-token");
  expect(run.stdout).toBe("");
});
