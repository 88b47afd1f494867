// `npm test`: types and lint, a fresh production build, then every test
// against it: vitest (HTTP against `next start`, on both database drivers and
// both storage backends, and the rehearsals of the Vercel build and of the
// container's standalone server on Node 24), then Playwright (Chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label, args) {
  console.log(`\n> ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

run("tsc --noEmit", [bin("typescript", "bin/tsc"), "--noEmit"]);
run("eslint", [bin("eslint", "bin/eslint.js"), "."]);
run("next build", [bin("next", "dist/bin/next"), "build"]);
run("vitest", [bin("vitest", "vitest.mjs"), "run", ...process.argv.slice(2)]);
// Debian's Chromium where installed (playwright.config.ts), else Playwright's
// own, downloaded once here when missing (this needs the network).
const { chromium } = await import("@playwright/test");
if (!fs.existsSync("/usr/bin/chromium") && !fs.existsSync(chromium.executablePath())) {
  run("download of Playwright's Chromium", [bin("@playwright/test", "cli.js"), "install", "chromium"]);
}
run("playwright", [bin("@playwright/test", "cli.js"), "test"]);
