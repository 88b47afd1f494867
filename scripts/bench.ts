// `npm run bench`: every benchmark in turn, each printing its own figures.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { printSummary, SUMMARY_ENV } from "./lib/summary";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);
const benches = [
  "bench-ingest.ts",
  "bench-round-trips.ts",
  "bench-downloads.ts",
  "bench-s3.ts",
  "bench-tasks.ts",
  "bench-search.ts",
  "bench-export.ts",
  "bench-insights.ts",
  "bench-thumbnails.ts",
].filter((file) => fs.existsSync(path.join(root, "scripts", file)) && (only.length === 0 || only.some((o) => file.includes(o))));

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("> next build");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "figures.jsonl");
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join("scripts", file)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", [SUMMARY_ENV]: summary },
  });
  if (result.status !== 0) process.exitCode = 1;
}
printSummary(summary);
fs.rmSync(path.dirname(summary), { recursive: true, force: true });
