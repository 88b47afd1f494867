// `npm start`: build when the sources are newer than the last build, then
// serve with `next start` (migrations run as the server starts), and print
// the callback URL once the server answers.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";

const root = path.resolve(import.meta.dirname, "..");
// .env is read here too, so PORT from it reaches `next start`.
nextEnv.loadEnvConfig(root);
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const buildId = path.join(root, ".next", "BUILD_ID");
const SOURCES = [
  "app",
  "components",
  "db",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
];

function newestSource(target) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const s of SOURCES) visit(path.join(target, s));
  return newest;
}

const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
if (built === 0 || newestSource(root) > built) {
  console.log(built === 0 ? "No build yet: building once (about a minute)..." : "Sources changed since the last build: rebuilding...");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const server = spawn(
  process.execPath,
  [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", process.env.PORT || "3000", ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
void announce().catch((error) => console.error(`Could not tell the callback URL (${error.message}); it is on /setup.`));

/** Once the server answers: where to point the provider, with the token, or (behind a password) where to read it. */
async function announce() {
  const port = process.env.PORT || "3000";
  const args = process.argv.slice(2);
  const at = Math.max(args.indexOf("--hostname"), args.indexOf("-H"));
  const listening = at >= 0 && args[at + 1] && !["0.0.0.0", "::", "[::]"].includes(args[at + 1]) ? args[at + 1] : "127.0.0.1";
  const health = `http://${listening.includes(":") ? `[${listening}]` : listening}:${port}/api/health`;
  while (server.exitCode === null) {
    const answered = await fetch(health, { signal: AbortSignal.timeout(5_000) }).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (server.exitCode !== null) return;
  const base = (process.env.PUBLIC_BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, "");
  if (process.env.DASHBOARD_PASSWORD?.trim()) {
    console.log(`\nCallback URL: log in at ${base}/setup to see it with its token.\n`);
    return;
  }
  const token = process.env.CALLBACK_TOKEN?.trim() || (await storedToken());
  console.log(`\nCallback URL: ${base}/api/callbacks?token=${encodeURIComponent(token)}\nSetup:        ${base}/setup\n`);
}

/** The token the server generated on first start (CALLBACK_TOKEN unset), from its settings table. */
async function storedToken() {
  const url = process.env.DATABASE_URL?.trim() || "file:./data/suno-dashboard.db";
  const query = "select value from settings where key = 'callback_token'";
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(path.resolve(root, url.replace(/^file:(\/\/)?/, "")), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).get().value;
    } finally {
      db.close();
    }
  }
  const { createClient } = await import("@libsql/client/http");
  const client = createClient({ url, authToken: process.env.DATABASE_AUTH_TOKEN?.trim() || undefined });
  try {
    return (await client.execute(query)).rows[0].value;
  } finally {
    client.close();
  }
}
