// What the rehearsals of deployed artifacts share: a copy of the project to
// build in (the repository itself is never touched), and running a program
// from a folder it cannot write to, as Vercel's functions and the container's
// app folder are.
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./ports";

/** Top-level entries that are not the project's source: never copied. */
const NOT_SOURCE = new Set([".git", ".next", ".vercel", "node_modules", "data", "data-demo", "test-results", "playwright-report"]);

/**
 * A copy of the project in a new temporary folder, with node_modules as hard
 * links (instant, no extra space; nothing in a build rewrites an installed file).
 */
export function copyProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of fs.readdirSync(ROOT)) {
    if (NOT_SOURCE.has(entry) || entry.startsWith(".env")) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  // The Node 24 of the rehearsals is not part of the project.
  fs.rmSync(path.join(dir, "node_modules", ".cache"), { recursive: true, force: true });
  return dir;
}

/** Total bytes of the files under `dir` (symbolic links not followed). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const isRoot = process.getuid?.() === 0;

/**
 * Spawns `command` with `readOnlyDir` read-only to it (and to everything it
 * starts): as root, in a private mount namespace where the folder is bound
 * read-only (root ignores file modes); otherwise the folder's files lose their
 * write permission. The child's PID is the program's own (unshare and sh exec it).
 */
export function spawnReadOnly(readOnlyDir: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (!isRoot) {
    execFileSync("chmod", ["-R", "a-w", readOnlyDir]);
    return spawn(command, args, options);
  }
  const script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"';
  return spawn("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, readOnlyDir, command, ...args], options);
}

/** Removes a folder spawnReadOnly made read-only. */
export function removeReadOnly(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!isRoot) execFileSync("chmod", ["-R", "u+w", dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}
