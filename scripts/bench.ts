// `npm run bench`: every benchmark in turn, each printing its own figures.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);
const benches = [
  "bench-ingest.ts",
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
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join("scripts", file)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exitCode = 1;
}
